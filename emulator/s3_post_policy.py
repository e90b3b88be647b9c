"""Browser-based uploads (presigned POST) checked as S3 checks them; moto checks nothing.

moto 5.2.5 stores whatever a multipart/form-data POST to a bucket carries: it reads neither
the `policy` nor `x-amz-signature`, so an expired, oversized or mistyped upload that S3
refuses would succeed locally (`moto/s3/responses.py`, `_bucket_response_post`). This WSGI
middleware, in front of moto on the AWS endpoint, does what S3 documents for POST
uploads with Signature Version 4 ("Creating a POST policy",
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html, and
"Calculating a signature", sigv4-authentication-HTTPPOST.html), and answers a refusal
with S3's error document:

- the signature: HMAC-SHA256 of the base64 `policy` with the key derived from the secret of
  `x-amz-credential`'s access key, date, region and `s3`: `SignatureDoesNotMatch` (403);
  an unknown access key: `InvalidAccessKeyId` (403);
- `expiration` passed: `AccessDenied`, "Invalid according to Policy: Policy expired.";
- every condition: exact matches (`{"field": value}`, `["eq", "$field", value]`),
  `["starts-with", "$field", prefix]`, `{"bucket": ...}`; a failed one: `AccessDenied`,
  "Invalid according to Policy: Policy Condition failed: [...]";
- `["content-length-range", min, max]` on the file's size: `EntityTooLarge` /
  `EntityTooSmall` (400) with ProposedSize and MaxSizeAllowed / MinSizeAllowed;
- every form field but `policy`, `x-amz-signature`, `file` and `x-ignore-*` must be named
  by a condition: "Invalid according to Policy: Extra input fields: ...".

Field names match case-insensitively, values exactly. Only SigV4 is accepted (what boto3
signs with); a form without `x-amz-algorithm` AWS4-HMAC-SHA256 is refused with
`InvalidRequest`. Anything that is not a multipart POST to a bucket passes through.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import io
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.formparser import parse_form_data

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
EXEMPT_FIELDS = frozenset({"policy", "x-amz-signature", "file"})


class PostRefused(Exception):
    def __init__(self, status: str, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def document(self) -> bytes:
        parts = [f"<Code>{self.code}</Code>", f"<Message>{escape(self.message)}</Message>"]
        parts += [f"<{k}>{escape(str(v))}</{k}>" for k, v in self.extra.items()]
        parts.append(f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(parts) + "</Error>"
        ).encode()


def _denied(message: str) -> PostRefused:
    return PostRefused("403 Forbidden", "AccessDenied", f"Invalid according to Policy: {message}")


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def check_post(
    bucket: str,
    fields: Mapping[str, str],
    file_size: int,
    secrets: Mapping[str, str],
    now: datetime.datetime | None = None,
) -> None:
    """Raise `PostRefused` unless S3 would accept this upload. `fields` are the form's
    fields but the file, with their names as sent."""
    lower = {name.lower(): value for name, value in fields.items()}
    if lower.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        raise PostRefused(
            "400 Bad Request",
            "InvalidRequest",
            "POST requires x-amz-algorithm AWS4-HMAC-SHA256 (only Signature Version 4)",
        )
    policy_b64 = lower.get("policy", "")
    credential = lower.get("x-amz-credential", "").split("/")
    if len(credential) != 5 or not policy_b64:
        raise PostRefused(
            "400 Bad Request", "InvalidArgument", "POST requires policy and x-amz-credential"
        )
    access_key, date, region, service, _ = credential
    secret = secrets.get(access_key)
    if secret is None:
        raise PostRefused(
            "403 Forbidden",
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    expected = hmac.new(
        _signing_key(secret, date, region, service), policy_b64.encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, lower.get("x-amz-signature", "")):
        raise PostRefused(
            "403 Forbidden",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        )
    try:
        policy = json.loads(base64.b64decode(policy_b64, validate=True))
    except (binascii.Error, ValueError):
        raise PostRefused(
            "400 Bad Request", "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."
        ) from None
    expiration = datetime.datetime.fromisoformat(
        str(policy.get("expiration", "")).replace("Z", "+00:00")
    )
    if (now or datetime.datetime.now(datetime.UTC)) >= expiration:
        raise _denied("Policy expired.")
    covered = set()
    values = {**lower, "bucket": bucket}
    for condition in policy.get("conditions", []):
        covered.update(_check_condition(condition, values, file_size))
    extra = sorted(
        name
        for name in lower
        if name not in covered and name not in EXEMPT_FIELDS and not name.startswith("x-ignore-")
    )
    if extra:
        raise _denied("Extra input fields: " + ", ".join(extra))


def _check_condition(condition: Any, values: Mapping[str, str], file_size: int) -> set[str]:
    """The field names the condition covers; raises when it fails."""
    if isinstance(condition, dict):
        covered = set()
        for name, wanted in condition.items():
            if values.get(name.lower()) != wanted:
                raise _denied(f'Policy Condition failed: ["eq", "${name}", {json.dumps(wanted)}]')
            covered.add(name.lower())
        return covered
    operator, *operands = condition
    if operator == "content-length-range":
        low, high = (int(v) for v in operands)
        if file_size > high:
            raise PostRefused(
                "400 Bad Request",
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size",
                ProposedSize=file_size,
                MaxSizeAllowed=high,
            )
        if file_size < low:
            raise PostRefused(
                "400 Bad Request",
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size",
                ProposedSize=file_size,
                MinSizeAllowed=low,
            )
        return set()
    name, wanted = str(operands[0]).lstrip("$").lower(), str(operands[1])
    actual = values.get(name)
    ok = actual is not None and (
        actual == wanted
        if operator == "eq"
        else operator == "starts-with" and actual.startswith(wanted)
    )
    if not ok:
        raise _denied("Policy Condition failed: " + json.dumps(condition))
    return {name}


class PresignedPostChecks:
    """The middleware; `secrets` maps access key ids to secret keys."""

    def __init__(
        self,
        app: WsgiApp,
        secrets: Mapping[str, str],
        on_created: Callable[[str, str, int], None] | None = None,
    ) -> None:
        self.app = app
        self.secrets = dict(secrets)
        self.on_created = on_created

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        bucket = path.strip("/")
        if (
            environ.get("REQUEST_METHOD") != "POST"
            or not environ.get("CONTENT_TYPE", "").startswith("multipart/form-data")
            or not bucket
            or "/" in bucket
            or environ.get("QUERY_STRING")
        ):
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        copy = dict(environ, **{"wsgi.input": io.BytesIO(body)})
        _, form, files = parse_form_data(copy)
        upload = files.get("file")
        size = len(upload.read()) if upload is not None else 0
        try:
            check_post(bucket, {k: form[k] for k in form}, size, self.secrets)
        except PostRefused as refused:
            document = refused.document()
            start_response(
                refused.status,
                [("Content-Type", "application/xml"), ("Content-Length", str(len(document)))],
            )
            return [document]
        environ["wsgi.input"] = io.BytesIO(body)
        if self.on_created is None:
            return self.app(environ, start_response)
        status: list[str] = []

        def noting(code: str, headers: Any, *rest: Any) -> Any:
            status.append(code)
            return start_response(code, headers, *rest)

        answer = b"".join(self.app(environ, noting))
        if status and status[0][:1] == "2":
            self.on_created(bucket, form["key"], size)
        return [answer]
