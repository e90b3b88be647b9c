"""The stack's EventBridge bus, offline: the chat Pipes put events on it, its rules deliver
them to the same artifact Lambdas the deployed rules invoke.

What it does as EventBridge does (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html,
.../eb-event-patterns.html, .../eb-rule-retry-policy.html):
- `put_events` builds each event's envelope (`version` "0", `id`, `detail-type`,
  `source`, `account`, `time` in UTC to the second, `region`, `resources`, `detail`);
- every rule whose pattern matches (moto's matcher,
  `emulator.moto_internals.event_pattern_matches`) delivers the event to its Lambda
  target asynchronously, as EventBridge invokes Lambda targets: `put_events` returns
  before any target runs, so neither a Pipe nor the stream feeder waits for consumers;
- a target that fails is retried (up to the rule's `maximum_retry_attempts`, with a short
  pause, locally capped at `LOCAL_RETRY_CAP` attempts), then logged and dropped (the
  deployed rule sends it to its dead-letter queue).

What reached the bus is kept in memory (the last `KEEP` events) for tests and the demo
page: `LocalEventBus.events()` in process, `GET /_emulator/events` over HTTP
(`emulator.local_routes`). Kept events and deliveries not yet made hold the event as
compressed JSON (`PackedEvent`), each target getting a copy of its own. Rules come from
`chatspec.events.RULES` (`add_rule` adds more, e.g. in a test). Local differences: no
archive or replay (the deployed prod bus archives); each rule's target is delivered to by
a thread of its own, one event at a time in the order they arrived (EventBridge invokes
targets independently and concurrently, in no promised order).
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chatspec.events import RULES, Rule, bus_name
from emulator import foreground
from emulator.datasources.lambda_function import LambdaContext
from emulator.moto_internals import event_pattern_matches

log = logging.getLogger("emulator.event_bus")
Target = Callable[[Any, Any], Any]
KEEP = 10_000
LOCAL_RETRY_CAP = 3


_EVENT_DICTIONARY = (
    b'{"version":"0","id":"","detail-type":"MessageSent","source":"chat.","account":"",'
    b'"time":"","region":"","resources":[],"detail":{"roomId":"","messageId":"",'
    b'"authorId":"","type":"TEXT","content":"","replyTo":null,"mentions":[],"createdAt":"",'
    b'"version":1,"editedAt":"","deletedAt":"","deletedBy":"","userId":"","role":"'
)
"""A preset deflate dictionary of what chat events repeat (a third smaller packed)."""


class PackedEvent:
    """An event as compressed JSON. A burst of messages (a bulk import, the volume bench)
    queues two deliveries per message faster than the targets run, and the backlog held
    as dicts took about 2 KB a message (200 MB at 100,000); packed it is a fifth."""

    __slots__ = ("_packed", "detail_type")

    def __init__(self, event: dict[str, Any]) -> None:
        self.detail_type: str = sys.intern(event["detail-type"])
        packer = zlib.compressobj(1, zlib.DEFLATED, -15, zdict=_EVENT_DICTIONARY)
        text = json.dumps(event, separators=(",", ":")).encode()
        self._packed = packer.compress(text) + packer.flush()

    def unpack(self) -> dict[str, Any]:
        unpacker = zlib.decompressobj(-15, zdict=_EVENT_DICTIONARY)
        event: dict[str, Any] = json.loads(unpacker.decompress(self._packed) + unpacker.flush())
        return event


@dataclass(slots=True)
class _Delivery:
    rule: Rule
    target: Target
    event: PackedEvent


_RuleQueue = queue.Queue[_Delivery | None]


class LocalEventBus:
    """One bus with rules and Lambda targets; `put_events` never waits for a target."""

    def __init__(
        self,
        prefix: str,
        region: str,
        account: str,
        requests: foreground.Foreground = foreground.SHARED,
    ) -> None:
        self.name = bus_name(prefix)
        self._requests = requests
        self.prefix = prefix
        self.region = region
        self.account = account
        self.arn = f"arn:aws:events:{region}:{account}:event-bus/{self.name}"
        self._threads: list[threading.Thread] = []
        self._rules: list[tuple[Rule, Target, _RuleQueue]] = []
        self._kept: deque[PackedEvent] = deque(maxlen=KEEP)
        self._kept_lock = threading.Lock()
        self._idle = threading.Condition()
        self._pending = 0
        self.delivered: list[tuple[str, str]] = []  # (rule name, event id), last KEEP
        self.failed: list[tuple[str, str]] = []
        self.dropped = 0
        self._stopping = threading.Event()

    def add_rule(self, rule: Rule, target: Target) -> None:
        """A rule and its target, delivered to by a thread of its own."""
        deliveries: _RuleQueue = queue.Queue()
        thread = threading.Thread(
            target=self._deliver_loop,
            args=(deliveries,),
            name=f"event-bus:{rule.name}",
            daemon=True,
        )
        self._rules.append((rule, target, deliveries))
        self._threads.append(thread)
        thread.start()

    def put_events(self, entries: list[dict[str, Any]]) -> dict[str, Any]:
        """PutEvents: entries with Source, DetailType, Detail (a JSON string), Resources."""
        results = []
        for entry in entries:
            event = {
                "version": "0",
                "id": str(uuid.uuid4()),
                "detail-type": entry["DetailType"],
                "source": entry["Source"],
                "account": self.account,
                "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "region": self.region,
                "resources": list(entry.get("Resources") or []),
                "detail": json.loads(entry.get("Detail") or "{}"),
            }
            packed = PackedEvent(event)
            with self._kept_lock:
                self._kept.append(packed)
            self._route(event, packed)
            results.append({"EventId": event["id"]})
        return {"FailedEntryCount": 0, "Entries": results}

    def redeliver(self, event: dict[str, Any]) -> list[str]:
        """Deliver an event that reached the bus before once more, unchanged (same id), to
        every rule it matches, as a target retry or an archive replay does; returns the
        names of those rules. For tests of idempotent consumers."""
        return self._route(event, PackedEvent(event))

    def _route(self, event: dict[str, Any], packed: PackedEvent) -> list[str]:
        matched = []
        for rule, target, deliveries in self._rules:
            if event_pattern_matches(rule.pattern(self.prefix), event):
                with self._idle:
                    self._pending += 1
                deliveries.put(_Delivery(rule, target, packed))
                matched.append(rule.name)
        return matched

    def events(self, detail_type: str | None = None) -> list[dict[str, Any]]:
        """What reached the bus, oldest first (optionally of one detail-type)."""
        with self._kept_lock:
            kept = list(self._kept)
        return [e.unpack() for e in kept if detail_type in (None, e.detail_type)]

    @property
    def pending(self) -> int:
        """Deliveries queued or running: 0 once the targets have caught up with the bus."""
        with self._idle:
            return self._pending

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until every delivery queued so far has run (tests; never the request path)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self) -> None:
        """Stop delivering; deliveries still queued are dropped (the emulator is going away,
        and with it the Lambdas they would run on), with one warning saying how many."""
        self._stopping.set()
        for _, _, deliveries in self._rules:
            deliveries.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        if self.dropped:
            log.warning("event bus stopped with %d deliveries not made", self.dropped)

    def _deliver_loop(self, deliveries: _RuleQueue) -> None:
        while True:
            delivery = deliveries.get()
            if delivery is None:
                return
            try:
                if self._stopping.is_set():
                    self._count_dropped()
                    continue
                self._requests.wait_turn()
                self._deliver(delivery)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, delivery: _Delivery) -> None:
        attempts = min(delivery.rule.maximum_retry_attempts + 1, LOCAL_RETRY_CAP)
        event_id = ""
        for attempt in range(attempts):
            if self._stopping.is_set():
                self._count_dropped()
                return
            event = delivery.event.unpack()
            event_id = event["id"]
            try:
                delivery.target(event, LambdaContext(delivery.rule.target, 60))
            except Exception:
                log.exception(
                    "rule %s: target %s failed on event %s (attempt %d of %d)",
                    delivery.rule.name,
                    delivery.rule.target,
                    event_id,
                    attempt + 1,
                    attempts,
                )
                time.sleep(0.05 * (attempt + 1))
                continue
            self._remember(self.delivered, (delivery.rule.name, event_id))
            return
        self._remember(self.failed, (delivery.rule.name, event_id))

    def _count_dropped(self) -> None:
        with self._idle:
            self.dropped += 1

    def _remember(self, log_list: list[tuple[str, str]], entry: tuple[str, str]) -> None:
        with self._idle:
            log_list.append(entry)
            if len(log_list) > KEEP:
                del log_list[: len(log_list) - KEEP]


def attach_rules(bus: LocalEventBus, handlers: dict[str, Target]) -> None:
    """Every `chatspec.events.RULES` rule whose target Lambda runs here."""
    for rule in RULES:
        if rule.target in handlers:
            bus.add_rule(rule, handlers[rule.target])
        else:
            log.warning(
                "rule %s: no local Lambda %s; its events go nowhere", rule.name, rule.target
            )


def start_events(
    backend: Any,
    handlers: dict[str, Target],
    prefix: str,
    account: str,
    stoppers: list[Callable[[], Any]],
) -> LocalEventBus:
    """The bus, its rules and one Pipe per `chatspec.events.PIPES` entry, each fed by a
    stream feeder of its own (the stream's second reader for messages, the only one for
    the others). Stoppers are appended in start order (the caller stops them reversed)."""
    from chatspec import table
    from chatspec.events import PIPES
    from emulator.pipes import LocalPipe
    from emulator.streams import start_stream_feeder

    bus = LocalEventBus(prefix, backend.region, account)
    stoppers.append(bus.stop)
    attach_rules(bus, handlers)
    if "events" not in handlers:
        log.warning("no local `events` Lambda: the Pipes put nothing on the bus")
        return bus
    dynamodb = backend.local_client("dynamodb")
    streams = backend.local_client("dynamodbstreams")
    for spec in PIPES:
        pipe = LocalPipe(
            spec,
            prefix=prefix,
            enrichment=handlers[spec.enrichment],
            put_events=bus.put_events,
            pipe_arn=f"arn:aws:pipes:{backend.region}:{account}:pipe/{prefix}-{spec.name}",
        )
        feeder = start_stream_feeder(
            dynamodb,
            streams,
            backend.table_names[table(spec.table).name],
            pipe.handle,
            f"pipe:{spec.name}",
            report_failures=False,
            from_latest=True,
            batching_window_seconds=spec.batching_window_seconds,
        )
        stoppers.append(feeder.stop)
    return bus
