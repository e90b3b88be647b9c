"""A stream batch indexed with one `_bulk` call, failures reported per record.

`index_actions` is the one way anything writes to the index: the indexer Lambda, the
redrive and the reindex commands (`searchops`) all go through it, so they write the same
documents with the same versions and commute.

Powertools' BatchProcessor calls a record handler once per record and reports the
records whose handler raised. Sending one request per record would cost a round trip
per message, so the work is split in two passes:

1. `index_batch` turns every record into an action (a record that cannot be turned into
   one fails on its own), sends all actions in one `_bulk` request, and maps each item
   of the answer back to the record it came from, keyed by the record's SequenceNumber
   (unique within the shard a batch comes from, and the `itemIdentifier` Lambda wants).
2. The record handler given to BatchProcessor then only re-raises the failure recorded
   for its record, so Powertools builds `batchItemFailures` exactly as for per-record
   work: nothing is swallowed, and Lambda resumes from the lowest failed record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from opensearchpy import OpenSearch

from functions.indexer.bulk import send_bulk
from functions.indexer.documents import IndexAction, action_for
from functions.indexer.mapping import ensure_index, write_targets


class BatchOutcome:
    """The failure (or None) of every record of one batch, by SequenceNumber."""

    def __init__(self) -> None:
        self._failures: dict[str | None, Exception | None] = {}

    def record(self, sequence_number: str | None, failure: Exception | None) -> None:
        self._failures[sequence_number] = failure

    def raise_for(self, record: DynamoDBRecord) -> None:
        """The record handler for BatchProcessor: fail exactly the records that failed."""
        sequence_number = record.dynamodb.sequence_number if record.dynamodb else None
        if sequence_number not in self._failures:
            raise LookupError(f"record {record.event_id} was not part of the indexed batch")
        failure = self._failures[sequence_number]
        if failure is not None:
            raise failure


def index_actions(
    client: OpenSearch, read_alias: str, actions: Sequence[IndexAction]
) -> list[Exception | None]:
    """Write `actions` into every index the write alias names; per action, its failure."""
    if not actions:
        return []
    try:
        ensure_index(client, read_alias)
        targets = write_targets(client, read_alias)
    except Exception as error:
        return [error] * len(actions)
    return send_bulk(client, targets, actions)


def index_batch(client: OpenSearch, index: str, records: Sequence[dict[str, Any]]) -> BatchOutcome:
    outcome = BatchOutcome()
    pending: list[tuple[str | None, IndexAction]] = []
    for raw in records:
        record = DynamoDBRecord(raw)
        sequence_number = record.dynamodb.sequence_number if record.dynamodb else None
        try:
            pending.append((sequence_number, action_for(record)))
        except Exception as error:
            outcome.record(sequence_number, error)
    if pending:
        failures = index_actions(client, index, [action for _, action in pending])
        for (sequence_number, _), failure in zip(pending, failures, strict=True):
            outcome.record(sequence_number, failure)
    return outcome
