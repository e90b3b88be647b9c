"""One created object, checked: the upload it belongs to, its real size and type, a
thumbnail for images, the verdict recorded, and the message refreshed.

S3 delivers a notification at least once, possibly late or twice, so the check is
idempotent: only a PENDING upload is checked, and the verdict is written on condition it
is still PENDING. An object that belongs to no upload record (expired, or never issued) is
deleted, as nobody can ever attach it. A REJECTED file's object is deleted too; its record
keeps the reason. The message, if the upload is attached already, is refreshed through the
API; if not yet, sendMessage copies the verdict when it claims the upload.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from functions.common.uploads import Store, thumbnail_key, upload_id_of
from functions.filecheck.content import HEAD_BYTES, refusal
from functions.filecheck.thumbnail import NotAnImage, thumbnail_png

READY, REJECTED, PENDING = "READY", "REJECTED", "PENDING"
Refresh = Callable[[str, str], Any]
"""(roomId, messageId) -> refreshes the message's attachments through the API."""


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    reason: str | None = None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def verdict(store: Store, key: str, record: dict[str, Any]) -> tuple[str | None, bool]:
    """(why the object is refused or None, whether a thumbnail was written)."""
    head = store.s3.head_object(Bucket=store.bucket, Key=key)
    size = int(head["ContentLength"])
    if size != int(record["size"]):
        return f"the file has {size} bytes, {int(record['size'])} were declared", False
    declared = str(record["contentType"])
    image = declared.startswith("image/")
    reader = {"Bucket": store.bucket, "Key": key}
    if not image:
        reader["Range"] = f"bytes=0-{HEAD_BYTES - 1}"
    data = store.s3.get_object(**reader)["Body"].read()
    why = refusal(declared, data[:HEAD_BYTES], complete=size <= HEAD_BYTES or image)
    if why or not image:
        return why, False
    try:
        png = thumbnail_png(data)
    except NotAnImage as error:
        return str(error), False
    store.s3.put_object(
        Bucket=store.bucket,
        Key=thumbnail_key(record["uploadId"]),
        Body=png,
        ContentType="image/png",
    )
    return None, True


def record_verdict(
    store: Store, upload_id: str, reason: str | None, thumbnail: bool
) -> dict[str, Any] | None:
    """The upload after the verdict, or None when another delivery recorded one first."""
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
    if record.get("status") != PENDING:
        return Outcome(key, str(record.get("status")), "checked before")
    reason, thumbnail = verdict(store, key, record)
    updated = record_verdict(store, upload_id, reason, thumbnail)
    if updated is None:
        return Outcome(key, "SKIPPED", "another delivery recorded a verdict")
    if reason:
        store.s3.delete_object(Bucket=store.bucket, Key=key)
    if updated.get("messageId") and updated.get("roomId"):
        refresh(str(updated["roomId"]), str(updated["messageId"]))
    return Outcome(key, str(updated["status"]), reason)
