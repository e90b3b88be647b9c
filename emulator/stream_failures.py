"""The emulator's on-failure destination: what Lambda sends when a stream batch gives up.

A deployed event source mapping, once a batch exhausts its retries, sends its SQS
on-failure queue a pointer, never the records: the invocation record with
`DDBStreamBatchInfo` (shard, first and last sequence number, approximate arrival times,
batch size, stream ARN), as AWS documents it ("Retaining records from DynamoDB event
sources"). The emulator's stream feeder does the same through `report` (its one hook), to
a queue in the emulated account, so `python -m searchops.redrive` can be run against the
emulator exactly as against a stack. Nothing is sent for a stream without a registered
destination (the in-process test API has none); the feeder then only logs, as before.

The shard is found from the stream's description (the shard whose sequence range holds
the first record), through the DynamoDB Streams API, as any other reader would.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("emulator.stream_failures")


@dataclass(frozen=True)
class FailureDestination:
    sqs: Any
    queue_url: str
    streams: Any
    function_arn: str


_destinations: dict[str, FailureDestination] = {}
_lock = threading.Lock()


def register(stream_arn: str, destination: FailureDestination) -> None:
    with _lock:
        _destinations[stream_arn] = destination


def unregister(stream_arn: str) -> None:
    with _lock:
        _destinations.pop(stream_arn, None)


def failure_queue_name(prefix: str, function_name: str) -> str:
    """The deployed name (`components.stream_source.failure_queue_name`)."""
    return f"{prefix}-{function_name}-failures"


def create_failure_queue(sqs: Any, prefix: str, function_name: str) -> str:
    """The queue, with the deployed retention (14 days); returns its URL."""
    from chatspec.aws_limits import SQS_MAX_MESSAGE_RETENTION

    name = failure_queue_name(prefix, function_name)
    return sqs.create_queue(
        QueueName=name,
        Attributes={"MessageRetentionPeriod": str(SQS_MAX_MESSAGE_RETENTION.value)},
    )["QueueUrl"]


def _iso_seconds(epoch: Any) -> str:
    moment = datetime.fromtimestamp(float(epoch), UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def shard_of(streams: Any, stream_arn: str, sequence_number: str) -> str:
    """The shard whose sequence number range holds `sequence_number`."""
    target = int(sequence_number)
    best: tuple[int, str] | None = None
    description = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
    for shard in description.get("Shards", []):
        bounds = shard.get("SequenceNumberRange", {})
        start = int(bounds.get("StartingSequenceNumber", 0))
        end = bounds.get("EndingSequenceNumber")
        holds = start <= target and (end is None or target <= int(end))
        if holds and (best is None or start > best[0]):
            best = (start, shard["ShardId"])
    if best is None:
        raise LookupError(f"no shard of {stream_arn} holds sequence number {sequence_number}")
    return best[1]


def pointer_message(
    destination: FailureDestination,
    stream_arn: str,
    shard_id: str,
    records: list[dict[str, Any]],
    attempts: int,
) -> dict[str, Any]:
    first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
    return {
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": destination.function_arn,
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": attempts,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "version": "1.0",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": first["SequenceNumber"],
            "endSequenceNumber": last["SequenceNumber"],
            "approximateArrivalOfFirstRecord": _iso_seconds(first["ApproximateCreationDateTime"]),
            "approximateArrivalOfLastRecord": _iso_seconds(last["ApproximateCreationDateTime"]),
            "batchSize": len(records),
            "streamArn": stream_arn,
        },
    }


def report(
    stream_arn: str, function_name: str, records: list[dict[str, Any]], attempts: int
) -> None:
    """The feeder gave up on `records` (Lambda event shape) after `attempts` invocations."""
    with _lock:
        destination = _destinations.get(stream_arn)
    if destination is None or not records:
        return
    try:
        shard_id = shard_of(
            destination.streams, stream_arn, records[0]["dynamodb"]["SequenceNumber"]
        )
        message = pointer_message(destination, stream_arn, shard_id, records, attempts)
        destination.sqs.send_message(
            QueueUrl=destination.queue_url, MessageBody=json.dumps(message)
        )
    except Exception:
        log.exception(
            "%s: could not send the failure pointer to %s", function_name, destination.queue_url
        )


def attach(backend: Any, prefix: str, function_name: str, stream_arn: str) -> str:
    """Create `function_name`'s failure queue in the emulated account and send it the
    pointers of `stream_arn`'s given-up batches; returns the queue URL."""
    from emulator.authentication import ACCOUNT_ID

    sqs = backend.client("sqs")
    queue_url = create_failure_queue(sqs, prefix, function_name)
    function_arn = f"arn:aws:lambda:{backend.region}:{ACCOUNT_ID}:function:{prefix}-{function_name}"
    register(
        stream_arn,
        FailureDestination(sqs, queue_url, backend.client("dynamodbstreams"), function_arn),
    )
    return queue_url
