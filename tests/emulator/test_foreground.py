"""API requests first (`emulator.foreground`): background work waits while a request runs,
starts once the API is quiet, and is never held longer than its bound.

No assertion is on a duration: "still waiting" is checked with the bound set far beyond
the test's own wait, and "went ahead" with a generous join."""

from __future__ import annotations

import asyncio
import threading

from chatspec.events import Rule, event_source
from emulator.admission import Admission
from emulator.event_bus import LocalEventBus
from emulator.foreground import Foreground

NEVER = 600.0
"""A deferral bound no test reaches: a waiter that returns did so because the API was quiet."""


def background(requests: Foreground) -> threading.Thread:
    thread = threading.Thread(target=requests.wait_turn, daemon=True)
    thread.start()
    return thread


def test_background_work_waits_while_a_request_runs_and_goes_once_it_ended():
    requests = Foreground(quiet_seconds=0.001, max_defer_seconds=NEVER)
    requests.begin()
    waiter = background(requests)
    waiter.join(0.2)
    assert waiter.is_alive()  # held: a request is running
    requests.end()
    waiter.join(30)
    assert not waiter.is_alive() and requests.deferred == 1 and requests.running == 0


def test_background_work_waits_for_every_request_running_not_just_the_first():
    requests = Foreground(quiet_seconds=0.001, max_defer_seconds=NEVER)
    requests.begin()
    requests.begin()
    waiter = background(requests)
    requests.end()
    waiter.join(0.2)
    assert waiter.is_alive()
    requests.end()
    waiter.join(30)
    assert not waiter.is_alive()


def test_an_api_that_is_never_quiet_delays_background_work_but_does_not_stop_it():
    requests = Foreground(quiet_seconds=0.001, max_defer_seconds=0.05)
    requests.begin()
    waiter = background(requests)
    waiter.join(30)
    assert not waiter.is_alive() and requests.running == 1 and requests.deferred == 1


def test_on_a_quiet_api_background_work_does_not_wait():
    requests = Foreground(quiet_seconds=0.0, max_defer_seconds=NEVER)
    requests.wait_turn()
    assert requests.deferred == 0


async def test_admission_counts_each_request_while_it_runs():
    requests = Foreground()
    admission = Admission(workers=2, requests=requests)
    seen: list[int] = []
    assert await admission.run(lambda: seen.append(requests.running) or "done") == "done"
    assert seen == [1] and requests.running == 0
    release = threading.Event()
    task = asyncio.ensure_future(admission.run(lambda: release.wait(30)))
    for _ in range(3000):  # until the worker picked it up, 30 s at most
        if requests.running:
            break
        await asyncio.sleep(0.01)
    release.set()
    assert await task is True
    assert requests.running == 0


def test_a_bus_delivery_waits_for_the_request_running_then_arrives():
    requests = Foreground(quiet_seconds=0.001, max_defer_seconds=NEVER)
    bus = LocalEventBus("chat-test", "eu-west-1", "123456789012", requests=requests)
    got: list[str] = []
    bus.add_rule(Rule("sent", ("MessageSent",), "t", "test"), lambda e, c: got.append(e["id"]))
    requests.begin()
    bus.put_events(
        [{"Source": event_source("chat-test"), "DetailType": "MessageSent", "Detail": "{}"}]
    )
    assert not bus.wait_idle(0.2) and not got  # queued behind the request
    requests.end()
    assert bus.wait_idle(30)
    assert got == [bus.delivered[0][1]] and requests.deferred == 1
    bus.stop()


def test_the_emulator_counts_its_api_requests_where_its_background_work_waits():
    """One instance: the requests Admission counts by default are the ones the bus, the
    stream readers, S3 notifications and the TTL sweeper wait for."""
    import inspect

    from emulator import foreground
    from emulator.streams import StreamFeeder

    assert Admission().requests is foreground.SHARED
    bus = LocalEventBus("chat-test", "eu-west-1", "123456789012")
    assert bus._requests is foreground.SHARED
    bus.stop()
    default = inspect.signature(StreamFeeder).parameters["requests"].default
    assert default is foreground.SHARED
