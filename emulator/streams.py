"""DynamoDB Streams to a Lambda, as an event source mapping would deliver them.

moto keeps the stream but runs no event source mapping, so this thread polls the
messages table's stream (`GetRecords`, batches of up to `batch_size`) and calls the
unmodified indexer handler with the event Lambda receives: `{"Records": [...]}` with
`eventSourceARN` (moto leaves it out), times as epoch seconds and binary values in
base64, as Lambda's JSON has them. Partial batch responses (`batchItemFailures`) are
honoured like the deployed mapping (ReportBatchItemFailures): the batch is retried from
the first failed record, at most `max_retries` times, then the failed records are logged
and skipped (the deployed stack sends them to its on-failure queue instead).
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from emulator import stream_failures
from emulator.datasources.lambda_function import LambdaContext

log = logging.getLogger("emulator.streams")
Handler = Callable[[dict[str, Any], Any], Any]


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A boto3 `GetRecords` record in the JSON shape a Lambda event carries."""
    converted = _json_ready(record)
    converted["eventSourceARN"] = stream_arn
    return converted


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


class StreamFeeder:
    """Polls one table's stream on a daemon thread and feeds batches to `handler`."""

    def __init__(
        self,
        streams_client: Any,
        stream_arn: str,
        handler: Handler,
        function_name: str,
        batch_size: int = 100,
        poll_seconds: float = 0.05,
        max_retries: int = 2,
    ) -> None:
        self._client = streams_client
        self.stream_arn = stream_arn
        self._handler = handler
        self._function_name = function_name
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._max_retries = max_retries
        self._iterators: dict[str, str | None] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stream-feeder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                delivered = self.poll_once()
            except Exception:
                log.exception("reading stream %s failed", self.stream_arn)
                delivered = 0
            if not delivered:
                self._stopping.wait(self._poll_seconds)

    def poll_once(self) -> int:
        """One GetRecords round over every shard; returns how many records were handled."""
        self._discover_shards()
        handled = 0
        for shard_id, iterator in list(self._iterators.items()):
            if iterator is None:
                continue
            page = self._client.get_records(ShardIterator=iterator, Limit=self._batch_size)
            self._iterators[shard_id] = page.get("NextShardIterator")
            records = [lambda_record(r, self.stream_arn) for r in page.get("Records", [])]
            if records:
                self._deliver(records)
                handled += len(records)
        return handled

    def _discover_shards(self) -> None:
        description = self._client.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
        for shard in description.get("Shards", []):
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = self._client.get_shard_iterator(
                    StreamArn=self.stream_arn,
                    ShardId=shard_id,
                    ShardIteratorType="TRIM_HORIZON",
                )["ShardIterator"]

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
        stream_failures.report(self.stream_arn, self._function_name, pending, self._max_retries + 1)

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
    dynamodb_client: Any, streams_client: Any, table_name: str, handler: Handler, function_name: str
) -> StreamFeeder:
    """Attach `handler` to `table_name`'s stream, starting from the oldest record kept."""
    description = dynamodb_client.describe_table(TableName=table_name)["Table"]
    stream_arn = description.get("LatestStreamArn")
    if not stream_arn:
        raise ValueError(f"table {table_name} has no stream; chatspec marks it stream=True?")
    feeder = StreamFeeder(streams_client, stream_arn, handler, function_name)
    feeder.start()
    return feeder
