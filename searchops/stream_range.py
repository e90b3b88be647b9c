"""Re-reading the records a failure pointer names, through the DynamoDB Streams API.

A pointer names a shard and the first and last sequence numbers of the batch that gave
up. The records are read from AT_SEQUENCE_NUMBER of the first until past the last, and
handed over in the JSON shape a Lambda event carries (epoch seconds, base64 binaries,
`eventSourceARN`), so the indexer's own code can index them. What the stream no longer
has is `Unreadable`: records older than the stream's 24 hours are trimmed
(TrimmedDataAccessException), and a stream or shard that is gone is ResourceNotFound.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from chatspec.aws_limits import DYNAMODB_GET_RECORDS_MAX

EMPTY_READS_BEFORE_GIVING_UP = 50
UNREADABLE_CODES = ("TrimmedDataAccessException", "ResourceNotFoundException")


class Unreadable(Exception):
    """The stream no longer holds (all of) the pointed records."""


@dataclass(frozen=True)
class PointedRange:
    stream_arn: str
    shard_id: str
    first: str
    last: str
    batch_size: int


def lambda_shape(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A boto3 `GetRecords` record as the JSON of a Lambda event record."""
    shaped = _json_ready(record)
    shaped["eventSourceARN"] = stream_arn
    return shaped


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


def read_range(streams: Any, pointed: PointedRange) -> list[dict[str, Any]]:
    """Every record from `first` to `last` (inclusive), in order, Lambda-shaped."""
    return list(_records(streams, pointed))


def _records(streams: Any, pointed: PointedRange) -> Iterator[dict[str, Any]]:
    first, last = int(pointed.first), int(pointed.last)
    try:
        iterator = streams.get_shard_iterator(
            StreamArn=pointed.stream_arn,
            ShardId=pointed.shard_id,
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=pointed.first,
        )["ShardIterator"]
        seen_first, empty = False, 0
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=DYNAMODB_GET_RECORDS_MAX.value)
            iterator = page.get("NextShardIterator")
            records = page.get("Records", [])
            empty = 0 if records else empty + 1
            for record in records:
                number = int(record["dynamodb"]["SequenceNumber"])
                if number > last:
                    if not seen_first:
                        raise Unreadable(f"shard {pointed.shard_id} no longer starts at {first}")
                    return
                seen_first = seen_first or number >= first
                if number >= first:
                    yield lambda_shape(record, pointed.stream_arn)
                if number == last:
                    return
            if empty >= EMPTY_READS_BEFORE_GIVING_UP:
                break
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in UNREADABLE_CODES:
            raise Unreadable(f"{code}: {error.response['Error'].get('Message', '')}") from error
        raise
    raise Unreadable(f"shard {pointed.shard_id} ended before sequence number {last}")
