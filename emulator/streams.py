"""DynamoDB Streams to a Lambda, as an event source mapping would deliver them.

moto keeps the stream but runs no event source mapping, so this thread reads a table's
stream (`GetRecords`, batches of up to `batch_size`) and calls the unmodified handler of
the Lambda the stack maps to it (`LambdaFunction.stream_source`) with the event Lambda
receives: `{"Records": [...]}` with `eventSourceARN` (moto leaves it out), times as epoch
seconds, binary values in base64 and `userIdentity` as `{"type", "principalId"}` (GetRecords
says `Type`, `PrincipalId`), as Lambda's JSON has them. The mapping's filter criteria
(`LambdaFunction.stream_filters`) are applied as Lambda applies them
(`chatspec.aws_limits.LAMBDA_EVENT_FILTERING_DOC`): EventBridge patterns, matched by moto's
matcher, on the record as the function would receive it; a record no pattern matches is
never delivered and the position moves past it. Partial batch responses (`batchItemFailures`) are
honoured like the deployed mapping (ReportBatchItemFailures): the batch is retried from
the first failed record, at most `max_retries` times, then the failed records are logged
and skipped (the deployed stack sends them to its on-failure queue instead).
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from emulator import foreground, stream_failures
from emulator.datasources.lambda_function import LambdaContext
from emulator.moto_internals import event_pattern_matches

log = logging.getLogger("emulator.streams")
Handler = Callable[[dict[str, Any], Any], Any]


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A boto3 `GetRecords` record in the JSON shape a Lambda event carries."""
    converted = _json_ready(record)
    converted["eventSourceARN"] = stream_arn
    identity = converted.get("userIdentity")
    if isinstance(identity, dict):
        converted["userIdentity"] = {
            name: identity[api_name]
            for name, api_name in (("type", "Type"), ("principalId", "PrincipalId"))
            if api_name in identity
        }
    return converted


def passes(filters: tuple[dict[str, Any], ...], record: dict[str, Any]) -> bool:
    """Whether an event source mapping with these FilterCriteria patterns delivers `record`
    (a Lambda event record): no filters pass everything, else any one pattern must match."""
    return not filters or any(event_pattern_matches(pattern, record) for pattern in filters)


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


class StreamSignal:
    """Wakes a feeder when its stream gets a record (a generation counter, no lost wake-ups)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.generation = 0

    def notify(self, *_: Any) -> None:
        with self._condition:
            self.generation += 1
            self._condition.notify_all()

    def wait(self, since: int, timeout: float) -> None:
        with self._condition:
            self._condition.wait_for(lambda: self.generation != since, timeout)


class StreamFeeder:
    """Reads one table's stream on a daemon thread and feeds batches to `handler`.

    It reads when `signal` says a record arrived (writes notify it, see `start_stream_feeder`)
    and otherwise only every `idle_poll_max_seconds`, so an idle emulator costs nothing.
    A round is one GetRecords per shard with the iterator the last one returned. The
    shards are described again at most every `describe_seconds` and whenever a read
    fails; an iterator that stops working (expired, or its stream object replaced, e.g.
    by a table re-created under the same name) is replaced by one `AFTER_SEQUENCE_NUMBER`
    of the last record delivered. With `dynamodb_client` and `table_name` it follows the
    table's `LatestStreamArn` when the table gets a new stream, from TRIM_HORIZON.
    Records past retention (`TrimmedDataAccessException`) are skipped with a warning, as
    an event source mapping skips them. Per shard, records reach the handler in sequence
    order, and a retry resumes at the first failed record.
    """

    def __init__(
        self,
        streams_client: Any,
        stream_arn: str,
        handler: Handler,
        function_name: str,
        batch_size: int = 100,
        poll_seconds: float = 0.05,
        max_retries: int = 2,
        *,
        dynamodb_client: Any = None,
        table_name: str | None = None,
        signal: StreamSignal | None = None,
        idle_poll_max_seconds: float = 5.0,
        describe_seconds: float = 1.0,
        report_failures: bool = True,
        from_latest: bool = False,
        batching_window_seconds: float = 0.0,
        filters: tuple[dict[str, Any], ...] = (),
        requests: foreground.Foreground = foreground.SHARED,
    ) -> None:
        self._client = streams_client
        self._requests = requests
        self._filters = filters
        self.filtered_out = 0
        """Records the filter criteria kept from the handler (tests read it)."""
        self.stream_arn = stream_arn
        self._handler = handler
        self._function_name = function_name
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._idle_max = idle_poll_max_seconds
        self._describe_seconds = describe_seconds
        self._max_retries = max_retries
        self._report_failures = report_failures
        self._from_latest = from_latest
        self._window = batching_window_seconds
        self._dynamodb = dynamodb_client
        self._table_name = table_name
        self._signal = signal or StreamSignal()
        self._positions: dict[str, str | None] = {}
        self._iterators: dict[str, str | None] = {}
        self._described_at = float("-inf")
        self.rounds = 0
        self.cleanups: list[Callable[[], Any]] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stream-feeder", daemon=True)

    def start(self) -> None:
        if self._from_latest:
            self._skip_existing()
        self._thread.start()

    def _skip_existing(self) -> None:
        """Start after the records already in the stream (a `LATEST` starting position),
        by reading to the end once without delivering. Positions, not LATEST iterators: the
        feeder renews its iterators every `describe_seconds`, and a renewed LATEST iterator
        would skip whatever arrived since the last read."""
        self._describe()
        for shard_id, iterator in list(self._iterators.items()):
            while iterator:
                page = self._client.get_records(ShardIterator=iterator, Limit=1000)
                records = page.get("Records", [])
                if not records:
                    break
                self._positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
                iterator = page.get("NextShardIterator")
        self._described_at = float("-inf")

    def stop(self) -> None:
        self._stopping.set()
        self._signal.notify()
        self._thread.join(timeout=5)
        while self.cleanups:
            self.cleanups.pop()()

    def _run(self) -> None:
        idle = self._poll_seconds
        while not self._stopping.is_set():
            generation = self._signal.generation
            try:
                self._requests.wait_turn()
                delivered = self.poll_once()
            except Exception:
                log.exception("reading stream %s failed", self.stream_arn)
                self._described_at = float("-inf")
                delivered = 0
            if delivered >= self._batch_size:
                continue
            if delivered:
                idle = self._poll_seconds
            self._signal.wait(generation, idle)
            idle = min(idle * 2, self._idle_max)
            if self._window and self._signal.generation != generation:
                # MaximumBatchingWindowInSeconds: gather what arrives for a while, then read
                self._stopping.wait(self._window)

    def poll_once(self) -> int:
        """One GetRecords round over every shard; returns how many records were handled."""
        self.rounds += 1
        if time.monotonic() - self._described_at >= self._describe_seconds:
            self._describe()
        handled = 0
        for shard_id in list(self._iterators):
            handled += self._read_shard(shard_id)
        return handled

    def _describe(self) -> None:
        description = self._client.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
        if self._replaced(description):
            description = self._client.describe_stream(StreamArn=self.stream_arn)[
                "StreamDescription"
            ]
        shards = [shard["ShardId"] for shard in description.get("Shards", [])]
        # A fresh iterator per shard: one held across a replacement would read a dead shard.
        self._iterators = {shard_id: self._iterator(shard_id) for shard_id in shards}
        self._described_at = time.monotonic()

    def _replaced(self, description: dict[str, Any]) -> bool:
        """Whether the table now has another stream (it was replaced); then follow it.

        DescribeTable is asked only when the label moto reports for the table differs
        from our ARN's (it counts every item, so it is not asked every round).
        """
        label = description.get("StreamLabel")
        if self._dynamodb is None or self._table_name is None or not label:
            return False
        if self.stream_arn.endswith(f"/stream/{label}"):
            return False
        table = self._dynamodb.describe_table(TableName=self._table_name)["Table"]
        latest = table.get("LatestStreamArn")
        if not latest or latest == self.stream_arn:
            return False
        log.warning(
            "table %s has a new stream %s; reading it from TRIM_HORIZON", self._table_name, latest
        )
        self.stream_arn = latest
        self._positions.clear()
        return True

    def _iterator(self, shard_id: str) -> str:
        after = self._positions.get(shard_id)
        request: dict[str, Any] = {"StreamArn": self.stream_arn, "ShardId": shard_id}
        if after is None:
            request["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            request.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=after)
        return self._client.get_shard_iterator(**request)["ShardIterator"]

    def _read_shard(self, shard_id: str) -> int:
        iterator = self._iterators.get(shard_id)
        if iterator is None:
            return 0
        errors = self._client.exceptions
        try:
            page = self._client.get_records(ShardIterator=iterator, Limit=self._batch_size)
        except errors.TrimmedDataAccessException:
            log.warning(
                "%s: records after %s were trimmed (past retention); resuming at TRIM_HORIZON",
                self._function_name,
                self._positions.get(shard_id),
            )
            self._positions[shard_id] = None
            self._described_at = float("-inf")
            return 0
        except errors.ExpiredIteratorException:
            self._described_at = float("-inf")
            return 0
        self._iterators[shard_id] = page.get("NextShardIterator")
        records = [lambda_record(r, self.stream_arn) for r in page.get("Records", [])]
        if records:
            wanted = [r for r in records if passes(self._filters, r)]
            self.filtered_out += len(records) - len(wanted)
            if wanted:
                self._deliver(wanted)
            self._positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
        return len(records)

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        pending = records
        for _attempt in range(self._max_retries + 1):
            failed = self._invoke(pending)
            if not failed:
                return
            first = min(
                (i for i, r in enumerate(pending) if r["dynamodb"]["SequenceNumber"] in failed),
                default=0,
            )
            pending = pending[first:]
        log.error(
            "%s gave up on %d stream records after %d retries (first sequence number %s)",
            self._function_name,
            len(pending),
            self._max_retries,
            pending[0]["dynamodb"]["SequenceNumber"],
        )
        if self._report_failures:
            stream_failures.report(
                self.stream_arn, self._function_name, pending, self._max_retries + 1
            )

    def _invoke(self, records: list[dict[str, Any]]) -> set[str]:
        context = LambdaContext(self._function_name, timeout_seconds=60)
        try:
            response = self._handler({"Records": records}, context) or {}
        except Exception:
            log.exception("%s raised; the whole batch is retried", self._function_name)
            return {r["dynamodb"]["SequenceNumber"] for r in records}
        return {
            item["itemIdentifier"]
            for item in response.get("batchItemFailures", [])
            if item.get("itemIdentifier")
        }


def start_stream_feeder(
    dynamodb_client: Any,
    streams_client: Any,
    table_name: str,
    handler: Handler,
    function_name: str,
    *,
    report_failures: bool = True,
    from_latest: bool = False,
    batching_window_seconds: float = 0.0,
    filters: tuple[dict[str, Any], ...] = (),
) -> StreamFeeder:
    """Attach `handler` to `table_name`'s stream, starting from the oldest record kept.

    `report_failures=False` for a reader whose given-up batches must not reach the
    stream's failure queue (that queue belongs to the indexer; a Pipe has its own DLQ).
    `from_latest=True` starts after what the stream already holds, as a `LATEST` starting
    position does (the Pipes: a restored `--data-dir` is not news to announce again).
    `batching_window_seconds` waits that long after a write before reading, as a source's
    MaximumBatchingWindowInSeconds does, so a burst is one batch (the Pipes: background work
    in bursts, not once per send). `filters` are the mapping's FilterCriteria patterns
    (`LambdaFunction.stream_filters`).

    The feeder is woken by every record moto appends to that table's stream
    (`emulator.moto_internals.add_stream_listener`).
    """
    from emulator import moto_internals

    description = dynamodb_client.describe_table(TableName=table_name)["Table"]
    stream_arn = description.get("LatestStreamArn")
    if not stream_arn:
        raise ValueError(f"table {table_name} has no stream; chatspec marks it stream=True?")
    signal = StreamSignal()
    moto_internals.install()
    remove = moto_internals.add_stream_listener(
        lambda changed: signal.notify() if changed == table_name else None
    )
    feeder = StreamFeeder(
        streams_client,
        stream_arn,
        handler,
        function_name,
        dynamodb_client=dynamodb_client,
        table_name=table_name,
        signal=signal,
        report_failures=report_failures,
        from_latest=from_latest,
        batching_window_seconds=batching_window_seconds,
        filters=filters,
    )
    feeder.cleanups.append(remove)
    feeder.start()
    return feeder
