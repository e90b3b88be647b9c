"""One created object, checked: the upload it belongs to, its real size and type, a
thumbnail for images, the checked copy that is served, the verdict recorded, and the
message refreshed.

S3 delivers a notification at least once, possibly late or twice, so the check is
idempotent: only a PENDING upload is checked, and the verdict is written on condition it
is still PENDING. An object that belongs to no upload record (expired, or never issued) is
deleted, as nobody can ever attach it. A REJECTED file's object is deleted too; its record
keeps the reason. The message, if the upload is attached already, is refreshed through the
API; if not yet, sendMessage copies the verdict when it claims the upload.

What is served is never the POSTed object but the check's copy of it (`files/<uploadId>`,
`chatspec.rules.CHECKED_KEY_PREFIX`): a presigned POST stays valid for minutes, so its
holder may POST another file to `uploads/<uploadId>` after the check. Every read of the
check names the ETag it saw first (If-Match) and the copy is made on condition that the
source still has it (CopySourceIfMatch), so the copy holds exactly the bytes that were
checked; an object replaced meanwhile fails that condition and is left to its own
notification. The POSTed object is deleted once a verdict is recorded, and anything POSTed
after the verdict is deleted when its notification arrives: it is never checked, and never
served.

When the stack scans uploads for malware (`Store.malware_scanning`), nothing about the
file is read before GuardDuty has tagged it (`chatspec.malware.SCAN_STATUS_TAG`): without a
tag the upload stays PENDING and the check ends, to run again when GuardDuty's result event
arrives (either trigger may come first; both end here). `NO_THREATS_FOUND` lets the usual
check run (and only then may the upload become READY); any other result REJECTS it with the
scan's reason and deletes the object. The tag is read between the first look at the ETag
and the reads that require it, so a clean tag of another file cannot pass this one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from chatspec.aws_limits import S3_MISSING_KEY_STATUS
from chatspec.malware import SCAN_STATUS_TAG, rejected_reason
from functions.common.uploads import (
    Store,
    checked_key,
    delete_keys,
    thumbnail_key,
    upload_id_of,
)
from functions.filecheck.content import HEAD_BYTES, refusal
from functions.filecheck.thumbnail import NotAnImage, thumbnail_png

READY, REJECTED, PENDING = "READY", "REJECTED", "PENDING"
NOT_FOUND = {str(S3_MISSING_KEY_STATUS.value["withListBucket"]), "NoSuchKey", "NotFound"}
FORBIDDEN = {str(S3_MISSING_KEY_STATUS.value["withoutListBucket"]), "AccessDenied"}
MISSING = NOT_FOUND | FORBIDDEN
"""HeadObject's answers for a key that is not there: 404 with s3:ListBucket, 403 without."""
Refresh = Callable[[str, str], Any]
"""(roomId, messageId) -> refreshes the message's attachments through the API."""


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    reason: str | None = None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Changed(Exception):
    """The POSTed object was replaced while it was being checked."""


def _precondition_failed(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    return code in {"PreconditionFailed", "412"}


def verdict(
    store: Store, key: str, record: dict[str, Any], head: dict[str, Any]
) -> tuple[str | None, bytes | None]:
    """(why the object is refused or None, the thumbnail PNG of an image), from the object
    `head` describes (its ETag required of every read). Writes nothing."""
    size = int(head["ContentLength"])
    if size != int(record["size"]):
        return f"the file has {size} bytes, {int(record['size'])} were declared", None
    declared = str(record["contentType"])
    image = declared.startswith("image/")
    reader = {"Bucket": store.bucket, "Key": key, "IfMatch": head["ETag"]}
    if not image:
        reader["Range"] = f"bytes=0-{HEAD_BYTES - 1}"
    try:
        data = store.s3.get_object(**reader)["Body"].read()
    except ClientError as error:
        if _precondition_failed(error):
            raise Changed(key) from None
        raise
    why = refusal(declared, data[:HEAD_BYTES], complete=size <= HEAD_BYTES or image)
    if why or not image:
        return why, None
    try:
        return None, thumbnail_png(data)
    except NotAnImage as error:
        return str(error), None


def keep_checked_copy(store: Store, key: str, record: dict[str, Any], etag: str) -> None:
    """`files/<uploadId>`: the POSTed object as it was checked, with the declared type."""
    try:
        store.s3.copy_object(
            Bucket=store.bucket,
            Key=checked_key(str(record["uploadId"])),
            CopySource={"Bucket": store.bucket, "Key": key},
            CopySourceIfMatch=etag,
            MetadataDirective="REPLACE",
            TaggingDirective="REPLACE",
            ContentType=str(record["contentType"]),
        )
    except ClientError as error:
        if _precondition_failed(error):
            raise Changed(key) from None
        raise


def scan_result(store: Store, key: str) -> str | None:
    """The malware scan's result tag of the object's current version (None: not scanned yet)."""
    tags = store.s3.get_object_tagging(Bucket=store.bucket, Key=key).get("TagSet") or []
    for tag in tags:
        if tag.get("Key") == SCAN_STATUS_TAG:
            return str(tag.get("Value"))
    return None


def record_verdict(
    store: Store, upload_id: str, reason: str | None, thumbnail: bool
) -> dict[str, Any] | None:
    """The upload after the verdict, or None when another delivery recorded one first (the
    upload is no longer PENDING)."""
    names = {"#status": "status", "#checkedAt": "checkedAt"}
    values: dict[str, Any] = {
        ":status": REJECTED if reason else READY,
        ":pending": PENDING,
        ":now": _now(),
    }
    sets = ["#status = :status", "#checkedAt = :now"]
    if reason:
        names["#reason"] = "rejectedReason"
        values[":reason"] = reason
        sets.append("#reason = :reason")
    if thumbnail:
        names["#thumbnail"] = "thumbnail"
        values[":true"] = True
        sets.append("#thumbnail = :true")
    try:
        return store.uploads.update_item(
            Key={"uploadId": upload_id},
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="#status = :pending",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )["Attributes"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise


def check_object(store: Store, key: str, refresh: Refresh) -> Outcome:
    upload_id = upload_id_of(key)
    if upload_id is None:
        return Outcome(key, "IGNORED", "not an upload key")
    record = store.uploads.get_item(Key={"uploadId": upload_id}, ConsistentRead=True).get("Item")
    if record is None:
        store.s3.delete_object(Bucket=store.bucket, Key=key)
        return Outcome(key, "DELETED", "no upload record")
    status = record.get("status")
    if status != PENDING:
        store.s3.delete_object(Bucket=store.bucket, Key=key)
        return Outcome(key, str(status), "checked before: a file POSTed after it is deleted")
    try:
        head = store.s3.head_object(Bucket=store.bucket, Key=key)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code"))
        if code not in MISSING:
            raise
        again = store.uploads.get_item(Key={"uploadId": upload_id}, ConsistentRead=True)
        status = (again.get("Item") or {}).get("status")
        if status is not None and status != PENDING:
            return Outcome(key, str(status), "checked by another delivery meanwhile")
        if code in FORBIDDEN:  # gone, or a real refusal: Lambda's retry tells them apart
            raise
        return Outcome(key, PENDING, "the object is gone")
    if store.malware_scanning:
        result = scan_result(store, key)
        if result is None:
            return Outcome(key, PENDING, "waiting for the malware scan")
        threat = rejected_reason(result)
        if threat:
            return _recorded(
                store, key, record_verdict(store, upload_id, threat, False), threat, refresh
            )
    try:
        reason, thumbnail = verdict(store, key, record, head)
        if reason is None:
            keep_checked_copy(store, key, record, str(head["ETag"]))
    except Changed:
        return Outcome(key, PENDING, "the file was replaced during its check")
    if thumbnail is not None:
        store.s3.put_object(
            Bucket=store.bucket,
            Key=thumbnail_key(upload_id),
            Body=thumbnail,
            ContentType="image/png",
        )
    updated = record_verdict(store, upload_id, reason, thumbnail is not None)
    if updated is None and reason is None:
        _unless_ready(store, upload_id)
    return _recorded(store, key, updated, reason, refresh)


def _unless_ready(store: Store, upload_id: str) -> None:
    """Another delivery recorded the verdict first; the copy and thumbnail this one wrote
    go unless that verdict was READY (whose files they then are as well)."""
    record = store.uploads.get_item(Key={"uploadId": upload_id}, ConsistentRead=True).get("Item")
    if record is None or record.get("status") != READY:
        delete_keys(store.s3, store.bucket, [checked_key(upload_id), thumbnail_key(upload_id)])


def _recorded(
    store: Store, key: str, updated: dict[str, Any] | None, reason: str | None, refresh: Refresh
) -> Outcome:
    if updated is None:
        return Outcome(key, "SKIPPED", "another delivery recorded a verdict")
    store.s3.delete_object(Bucket=store.bucket, Key=key)
    if updated.get("messageId") and updated.get("roomId"):
        refresh(str(updated["roomId"]), str(updated["messageId"]))
    return Outcome(key, str(updated["status"]), reason)
