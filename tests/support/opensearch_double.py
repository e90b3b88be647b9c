"""A recorded-request OpenSearch double for the Lambda handler tests.

A loopback HTTP server that records every request exactly as opensearch-py sent it
(method, path, query, headers, body) and answers from responses the test scripted. It
sits below the real client stack, so tests see the SigV4 headers and the NDJSON the
handlers really produce. An unscripted request gets a 501 in OpenSearch's error shape,
so a test that forgets to script one fails loudly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def ndjson(self) -> list[Any]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]


Responder = Callable[[RecordedRequest], tuple[int, Any]]


def bulk_answer(
    request: RecordedRequest, statuses: dict[str, tuple[int, str | None]] | None = None
) -> tuple[int, Any]:
    """A `_bulk` answer to the recorded NDJSON; `statuses`: doc id -> (status, error type)."""
    statuses = statuses or {}
    items = []
    for line in request.ndjson():
        if len(line) != 1 or next(iter(line)) not in ("index", "create", "delete"):
            continue
        op, meta = next(iter(line.items()))
        status, error_type = statuses.get(meta["_id"], (201 if op != "delete" else 200, None))
        item: dict[str, Any] = {"_index": "messages", "_id": meta["_id"], "status": status}
        if error_type:
            item["error"] = {"type": error_type, "reason": f"{error_type} for {meta['_id']}"}
        items.append({op: item})
    return 200, {
        "took": 1,
        "errors": any("error" in i[op] for i in items for op in i),
        "items": items,
    }


class OpenSearchDouble:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._routes: list[tuple[str, str, Responder]] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = RecordedRequest(
                    method=self.command,
                    path=url.path,
                    query=parse_qs(url.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                double.requests.append(request)
                status, body = double._answer(request)
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, method: str, path: str, responder: Responder | tuple[int, Any]) -> None:
        """Answer `method path` with a fixed (status, body) or a function of the request."""
        fixed = responder
        handler = responder if callable(responder) else (lambda _request: fixed)
        self._routes.insert(0, (method, path, handler))

    def _answer(self, request: RecordedRequest) -> tuple[int, Any]:
        for method, path, handler in self._routes:
            if method == request.method and path == request.path:
                return handler(request)
        reason = f"unscripted request {request.method} {request.path}"
        cause = {"type": "unscripted_request", "reason": reason}
        return 501, {"error": {"root_cause": [cause], **cause}, "status": 501}

    def sent(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
