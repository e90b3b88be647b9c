"""Read-only HTTP routes of the emulator for tests and the demo page: what reached the
event bus and which rule targets ran it (`GET /_emulator/events[?detailType=MessageSent]`:
`events`, `deliveries` and `failures` as {rule, eventId}) and the push sink
(`GET /_emulator/push[?token=...]`). Loopback tooling like the search faults endpoint;
a deployed stack has neither (its bus is read with rules or the archive)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

EVENTS_PATH = "/_emulator/events"
PUSH_PATH = "/_emulator/push"


def local_routes(bus: Any, region: str, account: str) -> list[BaseRoute]:
    from emulator.push_sink import deliveries

    async def events(request: Request) -> JSONResponse:
        detail_type = request.query_params.get("detailType")
        found = await asyncio.get_running_loop().run_in_executor(None, bus.events, detail_type)
        deliveries = [{"rule": rule, "eventId": event_id} for rule, event_id in bus.delivered]
        failures = [{"rule": rule, "eventId": event_id} for rule, event_id in bus.failed]
        return JSONResponse({"events": found, "deliveries": deliveries, "failures": failures})

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

    return [
        Route(EVENTS_PATH, events, methods=["GET"]),
        Route(EVENTS_PATH, replay, methods=["POST"]),
        Route(PUSH_PATH, push, methods=["GET"]),
    ]
