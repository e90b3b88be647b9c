"""The local bus and Pipes: EventBridge's envelope, pattern matching, asynchronous Lambda
targets with retries; the Pipes' filter, enrichment and input transformation steps."""

from __future__ import annotations

import json
import threading

from chatspec.events import PIPES, RULES, Rule, event_source, pipe_for
from emulator.event_bus import LocalEventBus
from emulator.pipes import LocalPipe, dynamic_parameter, json_path, render_input_template
from tests.support.fresh_interpreter import in_fresh_interpreter, traced_bytes

PREFIX = "chat-test"


def entry(detail_type: str, **detail) -> dict:
    return {"Source": event_source(PREFIX), "DetailType": detail_type, "Detail": json.dumps(detail)}


def test_an_event_reaches_only_the_rules_whose_pattern_matches_and_put_does_not_wait():
    bus = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    release = threading.Event()
    got: list[dict] = []

    def slow_target(event, context):
        release.wait(10)
        got.append(event)

    bus.add_rule(Rule("sent", ("MessageSent",), "t", "test"), slow_target)
    bus.add_rule(Rule("joined", ("MemberJoined",), "t", "test"), lambda e, c: got.append(e))
    answer = bus.put_events([entry("MessageSent", roomId="r1")])
    assert answer["FailedEntryCount"] == 0 and not got  # returned before the target ran
    release.set()
    assert bus.wait_idle(10)
    [event] = got
    assert event["detail-type"] == "MessageSent" and event["detail"] == {"roomId": "r1"}
    assert event["version"] == "0" and event["account"] == "123456789012"
    assert event["source"] == "chat.chat-test" and event["time"].endswith("Z")
    assert bus.events("MessageSent") == [event] and bus.delivered == [("sent", event["id"])]
    bus.stop()


def test_a_rule_with_another_source_or_a_detail_pattern_does_not_match():
    bus = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    got: list[str] = []
    bus.add_rule(
        Rule("mention", ("MessageSent",), "t", "test", detail={"content": [{"prefix": "@a"}]}),
        lambda e, c: got.append(e["detail"]["content"]),
    )
    bus.put_events(
        [entry("MessageSent", content="@assistant hi"), entry("MessageSent", content="hi")]
    )
    bus.put_events([{**entry("MessageSent", content="@a"), "Source": "someone.else"}])
    assert bus.wait_idle(10)
    assert got == ["@assistant hi"]
    bus.stop()


def test_a_failing_target_is_retried_then_recorded_as_failed():
    bus = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    calls: list[int] = []

    def failing(event, context):
        calls.append(1)
        raise RuntimeError("target down")

    bus.add_rule(Rule("sent", ("MessageSent",), "t", "test", maximum_retry_attempts=1), failing)
    bus.put_events([entry("MessageSent")])
    assert bus.wait_idle(10)
    assert len(calls) == 2 and len(bus.failed) == 1 and not bus.delivered
    bus.stop()


def test_each_target_gets_an_event_of_its_own():
    """EventBridge sends each target its own copy: one target changing the event it was
    given must not change what the next target, or `events()`, sees."""
    bus = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    seen: list[dict] = []

    def mutating(event, context):
        event["detail"]["content"] = "changed"

    bus.add_rule(Rule("first", ("MessageSent",), "t", "test"), mutating)
    bus.add_rule(Rule("second", ("MessageSent",), "t", "test"), lambda e, c: seen.append(e))
    bus.put_events([entry("MessageSent", content="original")])
    assert bus.wait_idle(10)
    assert [e["detail"]["content"] for e in seen + bus.events()] == ["original", "original"]
    bus.stop()


def test_a_slow_target_does_not_hold_up_the_other_rules():
    """EventBridge invokes each rule's targets independently: a notifier that is slow (or
    retrying) does not delay moderation. Each rule's own events still arrive in order."""
    bus = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    release = threading.Event()
    fast: list[str] = []
    all_fast = threading.Event()

    def record(event, context):
        fast.append(event["detail"]["content"])
        if len(fast) == 20:
            all_fast.set()

    bus.add_rule(Rule("slow", ("MessageSent",), "t", "test"), lambda e, c: release.wait(60))
    bus.add_rule(Rule("fast", ("MessageSent",), "t", "test"), record)
    try:
        bus.put_events([entry("MessageSent", content=str(n)) for n in range(20)])
        assert all_fast.wait(30), "the fast rule waited for the slow one"
        assert fast == [str(n) for n in range(20)]
        assert bus.pending == 20
    finally:
        release.set()
    assert bus.wait_idle(30) and len(bus.delivered) == 40
    bus.stop()


def test_a_backlog_of_deliveries_holds_each_event_compactly():
    """Deliveries wait while targets are slower than the Pipe (a bulk import); 2,000
    message events waiting for two rules take under 600 bytes each (470; as dicts, 2 KB)."""
    held_per_event, delivered = in_fresh_interpreter(_backlog_of_2000_events)
    assert held_per_event < 600, f"{held_per_event:.0f} bytes an event"
    assert delivered == 2 * 2000


def _backlog_of_2000_events() -> tuple[float, int]:
    warm = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    warm.add_rule(Rule("a", ("MessageSent",), "t", "test"), lambda e, c: None)
    warm.put_events([entry("MessageSent", content="imports what a delivery needs")])
    assert warm.wait_idle(30)
    warm.stop()
    bus = LocalEventBus(PREFIX, "eu-west-1", "123456789012")
    release = threading.Event()
    bus.add_rule(Rule("a", ("MessageSent",), "t", "test"), lambda e, c: release.wait(30))
    bus.add_rule(Rule("b", ("MessageSent",), "t", "test"), lambda e, c: release.wait(30))
    entries = [
        entry(
            "MessageSent",
            roomId="01JEXAMPLEROOM0000000000000",
            messageId=f"01JEXAMPLEMESSAGE{n:09d}",
            authorId="c1f2e3d4-0000-4000-8000-000000000001",
            type="TEXT",
            content=f"message {n} of the backlog, a sentence of ordinary length for chat",
            replyTo=None,
            mentions=[],
            createdAt="2026-12-01T12:00:00.000Z",
            version=1,
        )
        for n in range(2000)
    ]
    try:
        held = traced_bytes(lambda: bus.put_events(entries))
    finally:
        release.set()
    idle = bus.wait_idle(30)
    bus.stop()
    return held / len(entries), len(bus.delivered) if idle else -1


def test_json_paths_templates_and_dynamic_parameters_as_pipes_documents_them():
    payload = {"detailType": "MessageSent", "detail": {"a": [1, {"b": "x"}]}}
    assert json_path(payload, "$.detail.a[1].b") == "x"
    assert render_input_template("<$.detail>", payload, {}) == payload["detail"]
    assert render_input_template('{"k": <$.detail.a[1].b>, "n": <$.nope>}', payload, {}) == {
        "k": "x",
        "n": None,
    }
    reserved = {"aws.pipes.pipe-name": "p"}
    assert render_input_template(
        '{"p": <aws.pipes.pipe-name>, "e": <aws.pipes.event.json>}', payload, reserved
    ) == {
        "p": "p",
        "e": payload,
    }
    assert dynamic_parameter("$.detailType", payload) == "MessageSent"
    assert dynamic_parameter("MessageSent", {}) == "MessageSent"


def _record(name: str, new: dict | None = None, old: dict | None = None) -> dict:
    body: dict = {"Keys": {}}
    if new is not None:
        body["NewImage"] = new
    if old is not None:
        body["OldImage"] = old
    return {"eventName": name, "dynamodb": body, "eventSourceARN": "arn:stream"}


def test_the_messages_pipe_filter_drops_what_can_never_be_an_event():
    pipe = LocalPipe(
        pipe_for("messages"), prefix=PREFIX, enrichment=None, put_events=None, pipe_arn="arn"
    )
    unedited = {"isEdited": {"BOOL": False}, "isDeleted": {"BOOL": False}}
    assert pipe.matches(_record("INSERT", unedited))
    assert not pipe.matches(_record("MODIFY", unedited, unedited))  # a reaction
    assert not pipe.matches(_record("REMOVE", None, unedited))  # deleteRoom's cascade
    deleted = {"isEdited": {"BOOL": False}, "isDeleted": {"BOOL": True}}
    assert pipe.matches(_record("MODIFY", deleted, unedited))
    assert not pipe.matches(_record("MODIFY", deleted, deleted))


def test_the_pipe_passes_records_through_the_enrichment_template_and_target_parameters():
    seen: list = []
    put: list = []

    def enrichment(batch, context):
        seen.extend(batch)
        return [{"detailType": "MessageSent", "detail": {"roomId": "r"}}]

    pipe = LocalPipe(
        pipe_for("messages"),
        prefix=PREFIX,
        enrichment=enrichment,
        put_events=put.extend,
        pipe_arn="arn",
    )
    record = _record("INSERT", {"roomId": {"S": "r"}})
    pipe.handle({"Records": [record, _record("REMOVE", None, {})]})
    assert seen == [{"table": "messages", "record": record}]
    assert put == [
        {"Source": "chat.chat-test", "DetailType": "MessageSent", "Detail": '{"roomId": "r"}'}
    ]
    assert pipe.filtered_out == 1


def test_an_empty_enrichment_answer_puts_nothing():
    put: list = []
    pipe = LocalPipe(
        pipe_for("rooms"),
        prefix=PREFIX,
        enrichment=lambda b, c: [],
        put_events=put.extend,
        pipe_arn="a",
    )
    pipe.handle({"Records": [_record("INSERT", {"roomId": {"S": "r"}})]})
    assert put == []


def test_every_rule_targets_a_lambda_and_every_pipe_a_table_with_a_stream():
    import chatspec

    names = {f.name for f in chatspec.LAMBDAS}
    assert all(rule.target in names for rule in RULES)
    assert all(chatspec.table(p.table).stream for p in PIPES)


def test_background_consumers_run_at_a_lower_cpu_priority():
    """The enrichment's worker is niced, so event traffic yields the CPU to requests."""
    import os

    from emulator.chat_functions import BACKGROUND_NICENESS
    from emulator.testing import shared_lambdas

    _, service = shared_lambdas()
    handle = service.function(
        "events",
        {"POWERTOOLS_SERVICE_NAME": "events", "LOG_LEVEL": "ERROR"},
        timeout_seconds=10,
        memory_mb=256,
        niceness=BACKGROUND_NICENESS,
    )
    assert handle([], None) == []
    (worker,) = list(handle._idle)
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    worker_priority = os.getpriority(os.PRIO_PROCESS, worker.process.pid)
    assert worker_priority == max(mine, BACKGROUND_NICENESS) and worker_priority > 0
