"""A loopback JSON HTTP server on a daemon thread: the plumbing under the OpenSearch stand-in.

`LoopbackJSONServer(answer)` serves every request (GET, POST, PUT, DELETE, HEAD) by calling
`answer(method, url, headers, raw_body)` and sending back the `(status, body)` it returns,
`body` as JSON (None: an empty body; a HEAD reply never carries one); a status of None
closes the connection without any answer, as a server that went away does. The test suite's
recorded-request OpenSearch double runs on the same piece.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import SplitResult, urlsplit

from emulator.sockets import nodelay_listener

Answer = Callable[[str, SplitResult, Message, bytes], tuple[int | None, Any]]


class LoopbackJSONServer:
    """A running server: `url` to point a client at, `stop()` (or `with`) to shut it down."""

    def __init__(
        self,
        answer: Answer,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        content_type: str = "application/json",
        name: str | None = None,
    ) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = answer(self.command, url, self.headers, raw)
                if status is None:
                    self.close_connection = True
                    return
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        nodelay_listener(self._server.socket)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=name,
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

    def __enter__(self) -> LoopbackJSONServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
