"""Back-pressure (`emulator.admission`): arrival order, a bounded queue, and the 429
`LimitExceeded` answer past it, through the real Starlette app."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from emulator.admission import Admission, Overloaded
from emulator.authentication import Caller
from emulator.server import create_app


async def test_work_runs_in_arrival_order_and_the_queue_is_bounded():
    admission = Admission(workers=1, max_waiting=3)
    gate = threading.Event()
    finished: list[int] = []

    def work(n: int) -> int:
        if n == 0:
            gate.wait(timeout=60)
        finished.append(n)
        return n

    tasks = []
    for n in range(4):  # one running, three waiting
        tasks.append(asyncio.ensure_future(admission.run(lambda n=n: work(n))))
        await asyncio.sleep(0)
    with pytest.raises(Overloaded) as refused:
        await admission.run(lambda: work(99))
    assert refused.value.error_type == "LimitExceeded"
    gate.set()
    assert await asyncio.gather(*tasks) == [0, 1, 2, 3]
    assert finished == [0, 1, 2, 3]
    assert admission.in_flight == 0
    await admission.run(lambda: None)  # room again once the queue drained
    admission.close()


class BlockingEngine:
    registry = None

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()

    def execute(self, query: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.started.set()
        self.gate.wait(timeout=60)
        return {"data": {"__typename": "Query"}}


class AnyCaller:
    def authenticate(self, *args: Any) -> Caller:
        return Caller(identity={"sub": "u"}, auth_type="AMAZON_COGNITO_USER_POOLS")


async def _post(app: Any) -> tuple[int, dict[str, str], dict[str, Any]]:
    body = json.dumps({"query": "{ __typename }"}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"host", b"local")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = [{"type": "http.request", "body": body, "more_body": False}]
    replies: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return sent.pop(0) if sent else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        replies.append(message)

    await app(scope, receive, send)
    start = next(m for m in replies if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    payload = b"".join(m.get("body", b"") for m in replies if m["type"] == "http.response.body")
    return start["status"], headers, json.loads(payload)


async def test_past_the_queue_depth_the_endpoint_answers_429_limit_exceeded():
    engine = BlockingEngine()
    app = create_app(engine, AnyCaller(), admission=Admission(workers=1, max_waiting=0))
    first = asyncio.ensure_future(_post(app))
    while not engine.started.is_set():
        await asyncio.sleep(0.01)
    status, headers, body = await _post(app)
    assert status == 429
    assert headers["retry-after"] == "1"
    (error,) = body["errors"]
    assert error["errorType"] == "LimitExceeded"
    assert "waiting" in error["message"]
    engine.gate.set()
    status, _, body = await first
    assert status == 200 and body == {"data": {"__typename": "Query"}}


async def test_a_slow_request_is_logged_with_its_wait_and_its_run(monkeypatch, caplog):
    """A client that timed out can tell from the emulator's log whether the request queued
    behind others or ran long, and which one it was."""
    from emulator import admission as module
    from emulator.server import request_label

    monkeypatch.setattr(module, "SLOW_SECONDS", 0.0)
    admission = Admission(workers=1)
    label = request_label({"query": "mutation($i: X) { createRoom(input: $i) { roomId } }"})
    with caplog.at_level("WARNING", logger="emulator.admission"):
        assert await admission.run(lambda: 7, label=label) == 7
    [record] = caplog.records
    assert record.getMessage().startswith("slow createRoom: waited ")
    assert "s for a worker, ran " in record.getMessage()
    assert request_label({"query": "{ a }", "operationName": "Named"}) == "Named"
    monkeypatch.setattr(module, "SLOW_SECONDS", 600.0)
    caplog.clear()
    await admission.run(lambda: 7, label=label)
    assert not caplog.records
