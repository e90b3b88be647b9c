"""Faults the stand-in can be told to have, so tests can break search and watch it recover.

Set through the stand-in's admin endpoint `PUT /_emulator/faults` (JSON below), cleared
with `DELETE /_emulator/faults`, read with `GET /_emulator/faults`; the command
`python -m emulator.search_faults` does the same from a shell. Nothing but that endpoint
is affected by the admin path, and the endpoint itself never fails.

    {"mode": "down"}                          every request: connection closed, no answer
    {"mode": "error", "status": 503}          every request: that status, OpenSearch's error shape
    {"mode": "slow", "delay_seconds": 2}      every request: answered normally after a delay
    {"mode": "items", "every": 2, "status": 429}   `_bulk`: every 2nd item fails (or "ids": [...])

`only` ("bulk", "search" or "all", the default) limits a fault to some requests, and
`count` makes it end by itself after that many requests (items: that many failed items).
A request that fails this way is not applied: the indices stay as they were.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from emulator.opensearch.errors import OpenSearchError, bad_request

MODES = ("down", "error", "slow", "items")
SCOPES = ("all", "bulk", "search")
ADMIN_PATH = "/_emulator/faults"
ITEM_ERRORS = {
    429: ("es_rejected_execution_exception", "rejected execution of bulk item (write queue full)"),
    500: ("exception", "internal failure while indexing the item"),
    503: ("unavailable_shards_exception", "primary shard is not active"),
}


@dataclass
class FaultPlan:
    mode: str
    status: int = 503
    delay_seconds: float = 0.0
    every: int = 0
    ids: frozenset[str] = frozenset()
    only: str = "all"
    count: int | None = None
    seen_items: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"mode": self.mode, "only": self.only, "failed": self.failed}
        if self.mode in ("error", "items"):
            body["status"] = self.status
        if self.mode == "slow":
            body["delay_seconds"] = self.delay_seconds
        if self.mode == "items":
            body["every"] = self.every
            body["ids"] = sorted(self.ids)
        if self.count is not None:
            body["count"] = self.count
        return body


def parse_plan(body: Any) -> FaultPlan:
    if not isinstance(body, dict):
        raise bad_request("a fault is a JSON object with a mode")
    mode = body.get("mode")
    if mode not in MODES:
        raise bad_request(f"fault mode must be one of {list(MODES)}, got {mode!r}")
    only = body.get("only", "all")
    if only not in SCOPES:
        raise bad_request(f"fault 'only' must be one of {list(SCOPES)}, got {only!r}")
    count = body.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise bad_request(f"fault 'count' must be a positive integer, got {count!r}")
    status = body.get("status", 429 if mode == "items" else 503)
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise bad_request(f"fault 'status' must be an HTTP error status, got {status!r}")
    delay = body.get("delay_seconds", 0)
    if mode == "slow" and (not isinstance(delay, int | float) or not 0 < delay <= 120):
        raise bad_request(f"fault 'delay_seconds' must be in (0, 120], got {delay!r}")
    every = body.get("every", 0)
    ids = body.get("ids", [])
    if mode == "items":
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise bad_request("fault 'ids' must be a list of document ids")
        if isinstance(every, bool) or not isinstance(every, int) or every < 0:
            raise bad_request(f"fault 'every' must be a non-negative integer, got {every!r}")
        if not every and not ids:
            raise bad_request("an items fault needs 'every' (> 0) or 'ids'")
        only = "bulk"
    return FaultPlan(
        mode=mode,
        status=status,
        delay_seconds=float(delay),
        every=every,
        ids=frozenset(ids),
        only=only,
        count=count,
    )


def _scope_of(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last == "_bulk":
        return "bulk"
    if last in ("_search", "_count"):
        return "search"
    return "other"


@dataclass
class Faults:
    """The current fault, if any; thread-safe, consulted once per request."""

    _plan: FaultPlan | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, body: Any) -> dict[str, Any]:
        plan = parse_plan(body)
        with self._lock:
            self._plan = plan
        return {"acknowledged": True, "fault": plan.as_json()}

    def clear(self) -> dict[str, Any]:
        with self._lock:
            self._plan = None
        return {"acknowledged": True, "fault": None}

    def show(self) -> dict[str, Any]:
        with self._lock:
            return {"fault": self._plan.as_json() if self._plan else None}

    def for_request(self, path: str) -> FaultPlan | None:
        """The request-level fault that applies to `path` (down, error, slow), counted."""
        with self._lock:
            plan = self._plan
            if plan is None or plan.mode == "items":
                return None
            if plan.only != "all" and plan.only != _scope_of(path):
                return None
            plan.failed += 1
            if plan.count is not None and plan.failed >= plan.count:
                self._plan = None
            return plan

    def item_fault(self, op: str, index: str, doc_id: Any) -> tuple[int, str, str] | None:
        """For `_bulk`: the (status, error type, reason) one item fails with, if any."""
        with self._lock:
            plan = self._plan
            if plan is None or plan.mode != "items":
                return None
            plan.seen_items += 1
            chosen = str(doc_id) in plan.ids or (
                plan.every > 0 and plan.seen_items % plan.every == 0
            )
            if not chosen:
                return None
            plan.failed += 1
            if plan.count is not None and plan.failed >= plan.count:
                self._plan = None
            error_type, reason = ITEM_ERRORS.get(plan.status, ("exception", "injected failure"))
            return plan.status, error_type, f"{reason} [{index}][{doc_id}] (injected fault)"


def error_for(plan: FaultPlan) -> OpenSearchError:
    error_type, reason = {
        429: ("es_rejected_execution_exception", "rejected execution (injected fault)"),
        503: ("cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE] (injected fault)"),
    }.get(plan.status, ("exception", f"injected fault {plan.status}"))
    return OpenSearchError(plan.status, error_type, reason)
