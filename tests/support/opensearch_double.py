"""A recorded-request OpenSearch double for the Lambda handler tests.

A loopback HTTP server that records every request exactly as opensearch-py sent it
(method, path, query, headers, body) and answers from responses the test scripted. It
sits below the real client stack, so tests see the SigV4 headers and the NDJSON the
handlers really produce. An unscripted request gets a 501 in OpenSearch's error shape,
so a test that forgets to script one fails loudly. The server plumbing is the stand-in's
(`emulator.opensearch.loopback`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import SplitResult, parse_qs

from emulator.opensearch.loopback import LoopbackJSONServer


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
        self._server = LoopbackJSONServer(self._record)

    @property
    def url(self) -> str:
        return self._server.url

    def _record(
        self, method: str, url: SplitResult, headers: Message, body: bytes
    ) -> tuple[int, Any]:
        request = RecordedRequest(
            method=method,
            path=url.path,
            query=parse_qs(url.query),
            headers={k.lower(): v for k, v in headers.items()},
            body=body,
        )
        self.requests.append(request)
        return self._answer(request)

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
        self._server.stop()
