"""The stand-in's HTTP side: a loopback server on a daemon thread (`loopback`).

`start_standin()` returns the URL to put in OPENSEARCH_ENDPOINT and a stop function.
Requests are routed by method and path; anything outside the subset gets OpenSearch's
error shape. Authorization headers (SigV4) are accepted and not checked. The admin path
`/_emulator/faults` (see `emulator.opensearch.faults`) makes the stand-in fail on demand.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult, unquote

from emulator.opensearch.errors import OpenSearchError, bad_request
from emulator.opensearch.faults import ADMIN_PATH, Faults, error_for
from emulator.opensearch.loopback import LoopbackJSONServer
from emulator.opensearch.store import Store

_ALLOWED_PARAMS = {"pretty", "error_trace", "human", "filter_path", "timeout", "refresh"}


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
    if method == "POST" and parts == ["_aliases"]:
        return 200, store.update_aliases(_json_body(raw))
    if method == "GET" and parts[:1] == ["_alias"] and len(parts) <= 2:
        return 200, store.get_alias(parts[1] if len(parts) == 2 else None)
    if len(parts) == 1 and not parts[0].startswith("_"):
        name = parts[0]
        if method == "HEAD":
            return (200 if store.index_exists(name) else 404), None
        if method == "PUT":
            return 200, store.create_index(name, _json_body(raw))
        if method == "DELETE":
            return 200, store.delete_index(name)
    if len(parts) == 2 and not parts[0].startswith("_"):
        name, action = parts
        if action == "_bulk" and method in ("POST", "PUT"):
            return 200, store.bulk(name, raw)
        if action == "_search" and method in ("GET", "POST"):
            return 200, store.search(name, _json_body(raw) or {})
        if action == "_count" and method in ("GET", "POST"):
            return 200, store.count(name, _json_body(raw) or {})
        if action == "_mapping" and method in ("PUT", "POST"):
            return 200, store.put_mapping(name, _json_body(raw))
        if action == "_refresh" and method in ("POST", "GET"):
            return 200, store.refresh(name)
    if len(parts) == 3 and parts[1] == "_doc" and method == "DELETE":
        result = store.delete_document(parts[0], parts[2])
        return result.pop("status"), result
    raise bad_request(
        f"no handler found for uri [{path}] and method [{method}]"
        " (not in the subset the OpenSearch stand-in serves)"
    )


def _admin(faults: Faults, method: str, raw: bytes) -> tuple[int, Any]:
    try:
        if method == "GET":
            return 200, faults.show()
        if method == "DELETE":
            return 200, faults.clear()
        if method in ("PUT", "POST"):
            return 200, faults.set(_json_body(raw))
        raise bad_request(f"{ADMIN_PATH} takes GET, PUT or DELETE")
    except OpenSearchError as error:
        return error.status, error.body()


def _answer(
    store: Store, faults: Faults, method: str, url: SplitResult, raw: bytes
) -> tuple[int | None, Any]:
    """One request's (status, body): faults first, the query parameters checked, then routed."""
    if url.path.rstrip("/") == ADMIN_PATH:
        return _admin(faults, method, raw)
    plan = faults.for_request(url.path)
    if plan is not None:
        if plan.mode == "down":
            return None, None
        if plan.mode == "error":
            error = error_for(plan)
            return error.status, error.body()
        time.sleep(plan.delay_seconds)
    try:
        params = {p.split("=", 1)[0] for p in url.query.split("&") if p}
        unknown = params - _ALLOWED_PARAMS
        if unknown:
            raise bad_request(
                f"request [{url.path}] contains unrecognized parameter: [{sorted(unknown)[0]}]"
            )
        return route(store, method, url.path, raw)
    except OpenSearchError as error:
        return error.status, error.body()


class OpenSearchStandin(LoopbackJSONServer):
    """A running stand-in: `url` for OPENSEARCH_ENDPOINT, `stop()` to shut it down."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = Store()
        self.faults = Faults()
        self.store.item_fault = self.faults.item_fault
        super().__init__(
            lambda method, url, _headers, raw: _answer(self.store, self.faults, method, url, raw),
            host=host,
            port=port,
            content_type="application/json; charset=UTF-8",
            name="opensearch-standin",
        )


def start_standin(host: str = "127.0.0.1", port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start a stand-in on a loopback port; returns (url, stop)."""
    standin = OpenSearchStandin(host, port)
    return standin.url, standin.stop
