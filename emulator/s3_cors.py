"""The uploads bucket's CORS, answered as S3 answers it rather than as moto's server does.

moto's server adds `Access-Control-Allow-Origin: *` to every answer (flask-cors), so a web
app on any origin could upload to the emulator and then fail against AWS, where the bucket
allows only `uploads.corsOrigins` (S3 compares origins as whole strings: `http://localhost`
is not `http://localhost:5173`). For requests to the uploads bucket this WSGI middleware
applies the bucket's own rules (`stacksettings.UploadSettings.cors_rules`) the way S3's
user guide describes them ("How does Amazon S3 evaluate the CORS configuration on a
bucket?", https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html): the first rule
whose AllowedOrigins match the Origin, whose AllowedMethods hold the method (for a
preflight, `Access-Control-Request-Method`) and whose AllowedHeaders match every header of
`Access-Control-Request-Headers` applies; an origin or header pattern may hold one `*`.
A preflight no rule allows is 403 with S3's CORSResponse message and never reaches moto; an
actual request is served either way (S3 does not refuse it) but carries CORS headers only
when a rule allows it, so a browser withholds the answer otherwise. Written by hand because
no library evaluates S3's rule list: flask-cors and Starlette's middleware apply a server's
one policy. Other services keep moto's answers (Cognito, for one, accepts every origin).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

WsgiApp = Callable[[dict[str, Any], Callable], Iterable[bytes]]
REFUSED_MESSAGE = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
    "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers "
    "are not whitelisted by the resource's CORS spec."
)


@functools.lru_cache(maxsize=256)
def _pattern(text: str, case_sensitive: bool) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(".*".join(re.escape(part) for part in text.split("*")), flags)


def _matches(value: str, patterns: Sequence[str], case_sensitive: bool) -> bool:
    for pattern in patterns:
        if "*" in pattern:
            if _pattern(pattern, case_sensitive).fullmatch(value):
                return True
        elif (value == pattern) if case_sensitive else (value.lower() == pattern.lower()):
            return True
    return False


def matching_rule(
    rules: Sequence[dict[str, Any]], origin: str, method: str, headers: Sequence[str] = ()
) -> dict[str, Any] | None:
    """The first rule allowing this origin, method and request headers, as S3 picks it."""
    for rule in rules:
        if not _matches(origin, rule.get("AllowedOrigins", []), case_sensitive=True):
            continue
        if method not in rule.get("AllowedMethods", []):
            continue
        allowed = rule.get("AllowedHeaders", [])
        if all(_matches(h, allowed, case_sensitive=False) for h in headers):
            return rule
    return None


def _cors_headers(rule: dict[str, Any], origin: str) -> list[tuple[str, str]]:
    wildcard = rule.get("AllowedOrigins") == ["*"]
    headers = [
        ("Access-Control-Allow-Origin", "*" if wildcard else origin),
        ("Access-Control-Allow-Methods", ", ".join(rule["AllowedMethods"])),
        ("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
    ]
    if not wildcard:
        headers.append(("Access-Control-Allow-Credentials", "true"))
    if rule.get("ExposeHeaders"):
        headers.append(("Access-Control-Expose-Headers", ", ".join(rule["ExposeHeaders"])))
    return headers


class BucketCors:
    """The middleware; `rules` may be set after start (the demo page's origin is known
    once its socket is bound)."""

    def __init__(self, app: WsgiApp, bucket: str, rules: Sequence[dict[str, Any]] = ()) -> None:
        self.app = app
        self.bucket = bucket
        self.rules: list[dict[str, Any]] = list(rules)

    def _ours(self, path: str) -> bool:
        prefix = f"/{self.bucket}"
        return bool(self.bucket) and (path == prefix or path.startswith(prefix + "/"))

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if not self._ours(environ.get("PATH_INFO", "")):
            return self.app(environ, start_response)
        origin = environ.get("HTTP_ORIGIN")
        method = environ.get("REQUEST_METHOD", "")
        if method == "OPTIONS" and origin:
            return self._preflight(environ, origin, start_response)
        rule = matching_rule(self.rules, origin, method) if origin else None

        def respond(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            if rule is not None and origin:
                kept = [(k, v) for k, v in kept if k.lower() != "vary"] + _cors_headers(
                    rule, origin
                )
            return start_response(status, kept, *rest)

        return self.app(environ, respond)

    def _preflight(
        self, environ: dict[str, Any], origin: str, start_response: Callable
    ) -> Iterable[bytes]:
        wanted = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "")
        asked = [
            h.strip()
            for h in environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "").split(",")
            if h.strip()
        ]
        rule = matching_rule(self.rules, origin, wanted, asked)
        if rule is None:
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessForbidden</Code>'
                f"<Message>{REFUSED_MESSAGE}</Message><Method>{escape(wanted)}</Method>"
                "<ResourceType>BUCKET</ResourceType></Error>"
            ).encode()
            start_response(
                "403 Forbidden",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
            )
            return [body]
        headers = _cors_headers(rule, origin)
        if asked:
            headers.append(("Access-Control-Allow-Headers", ", ".join(asked)))
        if rule.get("MaxAgeSeconds") is not None:
            headers.append(("Access-Control-Max-Age", str(rule["MaxAgeSeconds"])))
        start_response("200 OK", [*headers, ("Content-Length", "0")])
        return [b""]
