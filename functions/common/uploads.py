"""The uploads table and bucket, as the uploads and filecheck Lambdas both reach them.

The table variable is `chatspec.table("uploads").env_var`; the bucket's is `UPLOADS_BUCKET`
(`chatspec.environment`, for Lambdas with `uses_uploads`); the file check also gets
`UPLOADS_MALWARE_SCANNING` (`true` when the stack scans uploads with GuardDuty). Object keys are
chosen by the server only: `uploads/<uploadId>` for the file as POSTed, `files/<uploadId>`
for the check's copy of it (the one served), and `thumbnails/<uploadId>.png` for its
thumbnail (both outside `uploads/`, so writing them raises no object-created notification
for the check).

An upload record's claim, the contract the TTL-driven cleanup of unclaimed uploads relies
on: claimed = no TTL. A PENDING record carries `expiresAt` (TTL, a day). Whatever starts
using an upload claims it in the transaction that starts using it, and every claim removes
`expiresAt`: sendMessage sets `messageId` (an attachment); updateProfile sets `claimedFor`
`chatspec.rules.AVATAR_CLAIM` and `claimedAt` (a user avatar); updateRoomSettings sets
`claimedFor` to the setting's name (`avatarUploadId`, `bannerUploadId`) and `claimedAt`.
An image replaced or removed is released in that same transaction: `claimedFor` and
`claimedAt` go, `releasedAt` is set and `expiresAt` is due at once, and nothing claims a
released upload again; the write's last step deletes its object, thumbnail and record
(`functions/uploads/replaced.py`), and should that step fail, the TTL still ends it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from chatspec.aws_limits import S3_DELETE_OBJECTS_KEYS
from chatspec.malware import MALWARE_SCANNING_ENV
from chatspec.rules import CHECKED_KEY_PREFIX, THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX

UPLOADS_ENV = "UPLOADS_TABLE"
BUCKET_ENV = "UPLOADS_BUCKET"
ENV_VARS = (UPLOADS_ENV, BUCKET_ENV, MALWARE_SCANNING_ENV)
S3_DELETE_MAX_KEYS = S3_DELETE_OBJECTS_KEYS.value


@dataclass(frozen=True)
class Store:
    """The uploads table (a boto3 Table), the bucket's name and an S3 client; whether the
    stack scans uploads for malware (then only a clean scan result makes an upload READY)."""

    uploads: Any
    bucket: str
    s3: Any
    malware_scanning: bool = False


def _value(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise RuntimeError(f"environment variable {variable} is not set")
    return value


def store_from_env(dynamodb: Any, s3: Any) -> Store:
    scanning = os.environ.get(MALWARE_SCANNING_ENV, "false")
    if scanning not in ("true", "false"):
        raise RuntimeError(f"{MALWARE_SCANNING_ENV} must be true or false, got {scanning!r}")
    return Store(
        uploads=dynamodb.Table(_value(UPLOADS_ENV)),
        bucket=_value(BUCKET_ENV),
        s3=s3,
        malware_scanning=scanning == "true",
    )


def object_key(upload_id: str) -> str:
    return f"{UPLOAD_KEY_PREFIX}{upload_id}"


def thumbnail_key(upload_id: str) -> str:
    return f"{THUMBNAIL_KEY_PREFIX}{upload_id}.png"


def checked_key(upload_id: str) -> str:
    return f"{CHECKED_KEY_PREFIX}{upload_id}"


def file_keys(upload_id: str) -> tuple[str, str, str]:
    """Every object an upload may have: as POSTed, as checked, its thumbnail."""
    return object_key(upload_id), checked_key(upload_id), thumbnail_key(upload_id)


def upload_id_of(key: str) -> str | None:
    """The uploadId of an object key under `uploads/`, None for any other key."""
    if not key.startswith(UPLOAD_KEY_PREFIX):
        return None
    rest = key[len(UPLOAD_KEY_PREFIX) :]
    return rest if rest and "/" not in rest else None


def delete_keys(s3: Any, bucket: str, keys: list[str]) -> list[dict[str, Any]]:
    """DeleteObjects in chunks of `S3_DELETE_MAX_KEYS` (a key that does not exist is no
    error in S3); the errors S3 reported, one per key it could not delete."""
    errors: list[dict[str, Any]] = []
    for start in range(0, len(keys), S3_DELETE_MAX_KEYS):
        chunk = keys[start : start + S3_DELETE_MAX_KEYS]
        answer = s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True}
        )
        errors.extend(answer.get("Errors") or [])
    return errors


def delete_upload_files(s3: Any, bucket: str, upload_ids: list[str]) -> set[str]:
    """Every file of the uploads (`file_keys`); the ids of those S3 did not delete all of,
    whose records the caller keeps so that running it again finishes the job."""
    owner = {key: upload_id for upload_id in upload_ids for key in file_keys(upload_id)}
    return {owner[str(e.get("Key"))] for e in delete_keys(s3, bucket, list(owner))}


class FilesNotDeleted(RuntimeError):
    """S3 refused to delete some files; their upload records were kept."""

    def __init__(self, upload_ids: set[str]) -> None:
        super().__init__(
            f"S3 did not delete the files of uploads {sorted(upload_ids)}; their records are "
            "kept, so the same request again finishes the deletion"
        )
