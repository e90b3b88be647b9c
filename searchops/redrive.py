"""`python -m searchops.redrive`: replay the indexer's parked stream batches (`make redrive`).

The indexer's failure queue holds pointers, not records (the on-failure message of a
DynamoDB stream event source mapping: `DDBStreamBatchInfo`). For each message this reads
the pointed range from the stream while the stream still keeps it (24 hours), indexes it
with the indexer's own code (`index_batch`: same documents, same external versions, so a
replay can never undo a newer state), and deletes the message only once every record of
the range is indexed. A message whose records fail again stays in the queue (visible again
as soon as the run ends, for the next run) and the exit status is 1.

What the stream no longer has cannot be replayed from it: those pointers are reported,
then handed to a reindex from the table (`searchops.reindex`, in place, limited to the
messages changed since the oldest such batch, minus a margin), and deleted once it
finished. `--no-reindex` leaves them in the queue and exits with status 2.

The stream allows two readers per shard and the indexer's mapping is one of them: run one
redrive at a time.

    python -m searchops.redrive --outputs .local/outputs.json
    python -m searchops.redrive --outputs outputs.json --role-arn <searchOpsRoleArn>
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.parser.models.dynamodb import (
    DynamoDBStreamLambdaOnFailureDestinationModel,
)
from pydantic import ValidationError

from chatspec.aws_limits import SQS_RECEIVE_MAX_MESSAGES
from functions.indexer.batch import index_batch
from searchops.stream_range import PointedRange, Unreadable, read_range
from searchops.target import Target, TargetError, add_target_arguments, load_target

CHUNK = 100
VISIBILITY_SECONDS = 300
REINDEX_MARGIN = timedelta(minutes=10)


@dataclass
class Pointer:
    receipt: str
    message_id: str
    range: PointedRange
    first_arrival: datetime


@dataclass
class RedriveReport:
    replayed_messages: int = 0
    replayed_records: int = 0
    failed: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    unreadable: list[Pointer] = field(default_factory=list)
    reindexed: int | None = None

    @property
    def status(self) -> int:
        if self.failed or self.malformed:
            return 1
        if self.unreadable and self.reindexed is None:
            return 2
        return 0


def parse_pointer(body: str) -> tuple[PointedRange, datetime]:
    """The pointed range of one failure-queue message; ValueError if it is not one."""
    try:
        model = DynamoDBStreamLambdaOnFailureDestinationModel.model_validate_json(body)
    except ValidationError as error:
        reason = error.errors()[0]["msg"]
        raise ValueError(f"not a DynamoDB stream failure pointer: {reason}") from None
    info = model.ddb_stream_batch_info
    for number in (info.start_sequence_number, info.end_sequence_number):
        if not number.isdigit():
            raise ValueError(f"sequence number {number!r} is not a number")
    pointed = PointedRange(
        info.stream_arn,
        info.shard_id,
        info.start_sequence_number,
        info.end_sequence_number,
        info.batch_size,
    )
    return pointed, info.approximate_arrival_of_first_record


def receive(target: Target) -> list[dict[str, Any]]:
    return (
        target.client("sqs")
        .receive_message(
            QueueUrl=target.failure_queue_url,
            MaxNumberOfMessages=SQS_RECEIVE_MAX_MESSAGES.value,
            WaitTimeSeconds=1,
            VisibilityTimeout=VISIBILITY_SECONDS,
        )
        .get("Messages", [])
    )


def replay(target: Target, pointer: Pointer) -> int:
    """Index every record of the pointed range; returns how many. Raises on any failure."""
    records = read_range(target.client("dynamodbstreams"), pointer.range)
    client = target.opensearch()
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        outcome = index_batch(client, target.index, chunk)
        for record in chunk:
            try:
                outcome.raise_for(DynamoDBRecord(record))
            except Exception as error:
                sequence = record["dynamodb"]["SequenceNumber"]
                raise RuntimeError(f"record {sequence} failed again: {error}") from error
    return len(records)


def redrive(
    target: Target, *, reindex_unreadable: bool = True, out: Any = sys.stdout
) -> RedriveReport:
    report = RedriveReport()
    sqs = target.client("sqs")
    seen: set[str] = set()
    left: list[str] = []
    while True:
        messages = [m for m in receive(target) if m["MessageId"] not in seen]
        if not messages:
            break
        for message in messages:
            seen.add(message["MessageId"])
            try:
                pointed, first_arrival = parse_pointer(message["Body"])
            except ValueError as error:
                print(f"  {message['MessageId']}: left in the queue: {error}", file=out)
                report.malformed.append(message["MessageId"])
                left.append(message["ReceiptHandle"])
                continue
            pointer = Pointer(
                message["ReceiptHandle"], message["MessageId"], pointed, first_arrival
            )
            where = (
                f"{pointed.shard_id} {pointed.first}..{pointed.last} ({pointed.batch_size} records)"
            )
            try:
                count = replay(target, pointer)
            except Unreadable as error:
                print(f"  {where}: no longer in the stream: {error}", file=out)
                report.unreadable.append(pointer)
                continue
            except Exception as error:
                print(f"  {where}: left in the queue: {error}", file=out)
                report.failed.append(message["MessageId"])
                left.append(pointer.receipt)
                continue
            sqs.delete_message(QueueUrl=target.failure_queue_url, ReceiptHandle=pointer.receipt)
            report.replayed_messages += 1
            report.replayed_records += count
            print(f"  {where}: {count} records indexed, message deleted", file=out)
    if report.unreadable and reindex_unreadable:
        from searchops.reindex import reindex_in_place

        since = min(p.first_arrival for p in report.unreadable) - REINDEX_MARGIN
        print(
            f"reindexing messages changed since {since.isoformat()} (unreadable batches)", file=out
        )
        result = reindex_in_place(target, changed_since=since, out=out)
        if result.failed == 0:
            report.reindexed = result.indexed
            for pointer in report.unreadable:
                sqs.delete_message(QueueUrl=target.failure_queue_url, ReceiptHandle=pointer.receipt)
        else:
            report.failed.extend(p.message_id for p in report.unreadable)
            left.extend(p.receipt for p in report.unreadable)
    elif report.unreadable:
        left.extend(p.receipt for p in report.unreadable)
    for receipt in left:
        sqs.change_message_visibility(
            QueueUrl=target.failure_queue_url, ReceiptHandle=receipt, VisibilityTimeout=0
        )
    return report


def summary(report: RedriveReport) -> str:
    parts = [
        f"{report.replayed_messages} batches replayed ({report.replayed_records} records)",
        f"{len(report.failed)} left in the queue after failing again",
        f"{len(report.malformed)} unreadable messages",
        f"{len(report.unreadable)} no longer in the stream",
    ]
    if report.reindexed is not None:
        parts.append(f"reindexed {report.reindexed} messages for them")
    return "redrive: " + ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m searchops.redrive", description=__doc__.split("\n")[0]
    )
    add_target_arguments(parser)
    parser.add_argument(
        "--no-reindex",
        action="store_true",
        help="leave pointers the stream no longer holds in the queue (exit status 2)",
    )
    args = parser.parse_args(argv)
    try:
        target = load_target(args.outputs, args.role_arn)
        print(f"redrive: {target.failure_queue_url} -> index {target.index}")
        report = redrive(target, reindex_unreadable=not args.no_reindex)
    except TargetError as error:
        print(f"redrive: {error}", file=sys.stderr)
        return 2
    print(summary(report))
    return report.status


if __name__ == "__main__":
    sys.exit(main())
