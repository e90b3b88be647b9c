"""HTTP routes of the emulator for tests and the demo page: what reached the event bus and
which rule targets ran it (`GET /_emulator/events[?detailType=MessageSent]`: `events`,
`deliveries` and `failures` as {rule, eventId}, and `pending`, the deliveries not yet
made), the push sink
(`GET /_emulator/push[?token=...]`), and DynamoDB's TTL clock (`POST /_emulator/ttl` with
`{"now": <epoch seconds>}` and optionally `"tables": [<logical names>]`: the TTL deletions
as of that instant, made at once and answered with the number deleted per table; their
stream records then reach the mapped Lambdas as TTL's).
Loopback tooling like the search faults endpoint; a deployed stack has none of them (its
bus is read with rules or the archive, and DynamoDB's TTL keeps its own time)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

EVENTS_PATH = "/_emulator/events"
PUSH_PATH = "/_emulator/push"
TTL_PATH = "/_emulator/ttl"
ExpireTtl = Callable[[float, Sequence[str] | None], dict[str, int]]


def local_routes(
    bus: Any, region: str, account: str, expire_ttl: ExpireTtl | None = None
) -> list[BaseRoute]:
    from emulator.push_sink import deliveries

    async def events(request: Request) -> JSONResponse:
        detail_type = request.query_params.get("detailType")
        found = await asyncio.get_running_loop().run_in_executor(None, bus.events, detail_type)
        deliveries = [{"rule": rule, "eventId": event_id} for rule, event_id in bus.delivered]
        failures = [{"rule": rule, "eventId": event_id} for rule, event_id in bus.failed]
        return JSONResponse(
            {
                "events": found,
                "deliveries": deliveries,
                "failures": failures,
                "pending": bus.pending,
            }
        )

    async def push(request: Request) -> JSONResponse:
        token = request.query_params.get("token")
        found = await asyncio.get_running_loop().run_in_executor(None, deliveries, region, account)
        return JSONResponse({"deliveries": [d for d in found if token in (None, d["token"])]})

    async def replay(request: Request) -> JSONResponse:
        """`POST /_emulator/events` with `{"replay": <an event from GET>}`: delivered again
        to its rules (same id, as a retry or an archive replay); answers once they ran."""
        document = await request.json()
        event = document.get("replay") if isinstance(document, dict) else None
        known = {e["id"] for e in bus.events()}
        if not isinstance(event, dict) or event.get("id") not in known:
            return JSONResponse({"message": "replay takes an event that reached the bus"}, 400)
        loop = asyncio.get_running_loop()
        rules = await loop.run_in_executor(None, bus.redeliver, event)
        idle = await loop.run_in_executor(None, bus.wait_idle, 60.0)
        return JSONResponse({"eventId": event["id"], "rules": rules, "idle": idle})

    async def ttl(request: Request) -> JSONResponse:
        """`POST /_emulator/ttl` with `{"now": <epoch seconds>}`: TTL's deletions as of then."""
        try:
            document = await request.json()
        except ValueError:
            document = None
        body = document if isinstance(document, dict) else {}
        now, tables = body.get("now"), body.get("tables")
        usage = 'ttl takes {"now": <epoch seconds>, "tables": [<logical table names>]?}'
        if isinstance(now, bool) or not isinstance(now, int | float) or now < 0:
            return JSONResponse({"message": f"{usage}; now must be a number"}, 400)
        if tables is not None and (
            not isinstance(tables, list) or not all(isinstance(t, str) for t in tables)
        ):
            return JSONResponse({"message": f"{usage}; tables must be a list of names"}, 400)
        if expire_ttl is None:
            return JSONResponse({"message": "this emulator runs no TTL"}, 404)
        loop = asyncio.get_running_loop()
        try:
            deleted = await loop.run_in_executor(None, expire_ttl, float(now), tables)
        except KeyError as error:
            return JSONResponse({"message": str(error.args[0])}, 400)
        return JSONResponse({"now": now, "deleted": deleted})

    return [
        Route(EVENTS_PATH, events, methods=["GET"]),
        Route(EVENTS_PATH, replay, methods=["POST"]),
        Route(PUSH_PATH, push, methods=["GET"]),
        Route(TTL_PATH, ttl, methods=["POST"]),
    ]
