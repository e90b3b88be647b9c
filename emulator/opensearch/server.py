"""The stand-in's HTTP side: a loopback server on a daemon thread.

`start_standin()` returns the URL to put in OPENSEARCH_ENDPOINT and a stop function.
Requests are routed by method and path; anything outside the subset gets OpenSearch's
error shape. Authorization headers (SigV4) are accepted and not checked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from emulator.opensearch.errors import OpenSearchError, bad_request
from emulator.opensearch.store import Store

_ALLOWED_PARAMS = {"pretty", "error_trace", "human", "filter_path", "timeout"}


def _json_body(raw: bytes) -> dict[str, Any] | None:
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as error:
        raise bad_request(
            f"Failed to parse content to map: {error.msg}", "parse_exception"
        ) from None
    if not isinstance(body, dict):
        raise bad_request("request body must be a JSON object", "parse_exception")
    return body


def route(store: Store, method: str, path: str, raw: bytes) -> tuple[int, Any]:
    """(status, JSON body or None) for one request; raises OpenSearchError."""
    parts = [unquote(p) for p in path.strip("/").split("/") if p]
    if method in ("POST", "PUT") and parts == ["_bulk"]:
        return 200, store.bulk(None, raw)
    if len(parts) == 1 and not parts[0].startswith("_"):
        name = parts[0]
        if method == "HEAD":
            return (200 if store.index_exists(name) else 404), None
        if method == "PUT":
            return 200, store.create_index(name, _json_body(raw))
    if len(parts) == 2 and not parts[0].startswith("_"):
        name, action = parts
        if action == "_bulk" and method in ("POST", "PUT"):
            return 200, store.bulk(name, raw)
        if action == "_search" and method in ("GET", "POST"):
            return 200, store.search(name, _json_body(raw) or {})
    if len(parts) == 3 and parts[1] == "_doc" and method == "DELETE":
        result = store.delete_document(parts[0], parts[2])
        return result.pop("status"), result
    raise bad_request(
        f"no handler found for uri [{path}] and method [{method}]"
        " (not in the subset the OpenSearch stand-in serves)"
    )


class _Handler(BaseHTTPRequestHandler):
    store: Store
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            params = {p.split("=", 1)[0] for p in url.query.split("&") if p}
            unknown = params - _ALLOWED_PARAMS
            if unknown:
                raise bad_request(
                    f"request [{url.path}] contains unrecognized parameter: [{sorted(unknown)[0]}]"
                )
            status, body = route(self.store, self.command, url.path, raw)
        except OpenSearchError as error:
            status, body = error.status, error.body()
        self._reply(status, body)

    def _reply(self, status: int, body: Any) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


class OpenSearchStandin:
    """A running stand-in: `url` for OPENSEARCH_ENDPOINT, `stop()` to shut it down."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = Store()
        handler = type("StandinHandler", (_Handler,), {"store": self.store})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="opensearch-standin",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> OpenSearchStandin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_standin(host: str = "127.0.0.1", port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start a stand-in on a loopback port; returns (url, stop)."""
    standin = OpenSearchStandin(host, port)
    return standin.url, standin.stop
