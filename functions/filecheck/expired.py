"""Unclaimed uploads' files, deleted once DynamoDB's TTL has removed their records.

An upload record no message claims keeps its `expiresAt` and TTL removes it after a day
(`chatspec.rules.UPLOAD_PENDING_SECONDS`); the object it was issued for would otherwise stay
in the bucket for good, since no bucket rule can tell it from an attached file. The uploads
stream's event source mapping hands this Lambda the TTL removals only
(`chatspec.lambdas.TTL_REMOVALS`), and each is checked again here (`is_ttl_removal`), so a
mapping deployed without its filter deletes nothing it should not: a record whose old image
was claimed (`messageId`) or had no `expiresAt` left (an avatar in use) is skipped.

One `DeleteObjects` per batch takes every file: as POSTed, as checked, the thumbnail (a
key that does not exist is reported deleted, so a retried record or a REJECTED upload, whose
object is gone already, is fine); a key S3 reports as failed fails exactly the records it
belongs to, which Lambda retries (ReportBatchItemFailures). Versioned buckets keep the
deleted objects as noncurrent versions, which the bucket's lifecycle expires
(`uploads.noncurrentVersionDays`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chatspec.aws_limits import DYNAMODB_TTL_STREAM_IDENTITY
from functions.common.uploads import Store, delete_keys, file_keys

TTL_IDENTITY: Mapping[str, str] = DYNAMODB_TTL_STREAM_IDENTITY.value


class DeleteFailed(Exception):
    """S3 refused to delete one of the record's objects: the record is retried."""


@dataclass
class CleanupOutcome:
    """What became of each record of one batch, by sequence number."""

    expired: dict[str, str] = field(default_factory=dict)
    """uploadId by sequence number, of every unclaimed upload whose files were deleted."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Why, by sequence number, of every record whose files stay."""
    failures: dict[str, Exception] = field(default_factory=dict)

    @property
    def deleted(self) -> list[str]:
        return [u for s, u in self.expired.items() if s not in self.failures]

    def raise_for(self, sequence_number: str | None) -> None:
        failure = self.failures.get(str(sequence_number))
        if failure is not None:
            raise failure


def is_ttl_removal(record: Mapping[str, Any]) -> bool:
    """A REMOVE that DynamoDB's TTL process made (the userIdentity AWS documents for it)."""
    identity = record.get("userIdentity") or {}
    return record.get("eventName") == "REMOVE" and all(
        identity.get(name) == value for name, value in TTL_IDENTITY.items()
    )


def _text(image: Mapping[str, Any], name: str) -> str | None:
    value = image.get(name) or {}
    return value.get("S") if isinstance(value, dict) else None


def unclaimed_upload(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(the uploadId whose files go, or None with why they stay)."""
    if not is_ttl_removal(record):
        return None, "not a removal by DynamoDB's TTL"
    dynamodb = record.get("dynamodb") or {}
    old = dynamodb.get("OldImage") or {}
    upload_id = _text(old, "uploadId") or _text(dynamodb.get("Keys") or {}, "uploadId")
    if not upload_id:
        return None, "the record names no upload"
    if _text(old, "messageId"):
        return None, "a message claimed the upload"
    if "expiresAt" not in old:
        return None, "the upload no longer expired (claimed)"
    return upload_id, None


def delete_unclaimed(store: Store, records: Sequence[Mapping[str, Any]]) -> CleanupOutcome:
    outcome = CleanupOutcome()
    owners: dict[str, list[str]] = {}
    for record in records:
        sequence = str((record.get("dynamodb") or {}).get("SequenceNumber"))
        upload_id, why = unclaimed_upload(record)
        if upload_id is None:
            outcome.skipped[sequence] = str(why)
            continue
        outcome.expired[sequence] = upload_id
        for key in file_keys(upload_id):
            owners.setdefault(key, []).append(sequence)
    for error in delete_keys(store.s3, store.bucket, list(owners)):
        failure = DeleteFailed(
            f"S3 did not delete {error.get('Key')}: {error.get('Code')} {error.get('Message')}"
        )
        for sequence in owners.get(str(error.get("Key")), []):
            outcome.failures.setdefault(sequence, failure)
    return outcome
