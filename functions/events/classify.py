"""Which chat event a stream record is, and its detail as plain JSON (or none).

The Pipe's filter has already dropped what can never be an event; what is left needs the
old and new images compared, which is why this runs at all (`chatspec/events.py`).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chatspec import events
from functions.common.plain import plain

Event = dict[str, Any]


def classify(table: str, raw_record: dict[str, Any]) -> Event | None:
    """`{"detailType", "detail"}` for a record of `table`'s stream, or None if no event."""
    record = DynamoDBRecord(raw_record)
    name = record.event_name.name if record.event_name else ""
    stream = record.dynamodb
    new = plain(stream.new_image) if stream and stream.new_image else {}
    old = plain(stream.old_image) if stream and stream.old_image else {}
    at = _iso(raw_record)
    if table == "messages":
        return _message(name, new, old)
    if table == "room_members":
        return _member(name, new, old, at)
    if table == "rooms":
        return _room(name, new, old, at)
    return None


def _iso(raw_record: dict[str, Any]) -> str | None:
    from datetime import UTC, datetime

    seconds = (raw_record.get("dynamodb") or {}).get("ApproximateCreationDateTime")
    if seconds is None:
        return None
    return datetime.fromtimestamp(float(seconds), UTC).isoformat().replace("+00:00", "Z")


def _event(detail_type: str, detail: dict[str, Any]) -> Event:
    return {"detailType": detail_type, "detail": detail}


def _message(name: str, new: dict, old: dict) -> Event | None:
    if name == "INSERT":
        return _event(
            events.MESSAGE_SENT,
            {
                "roomId": new["roomId"],
                "messageId": new["messageId"],
                "authorId": new.get("authorId"),
                "type": new.get("type"),
                "content": new.get("content"),
                "replyTo": new.get("replyTo"),
                "mentions": list(new.get("mentions") or []),
                "createdAt": new.get("createdAt"),
                "version": new.get("version", 1),
            },
        )
    if name != "MODIFY":
        return None
    if new.get("isDeleted") is True and old.get("isDeleted") is not True:
        return _event(
            events.MESSAGE_DELETED,
            {
                "roomId": new["roomId"],
                "messageId": new["messageId"],
                "authorId": new.get("authorId"),
                "deletedBy": new.get("deletedBy"),
                "deletedAt": new.get("deletedAt"),
                "version": new.get("version"),
            },
        )
    edited = new.get("isEdited") is True and new.get("editedAt") != old.get("editedAt")
    if edited and new.get("isDeleted") is not True:
        return _event(
            events.MESSAGE_EDITED,
            {
                "roomId": new["roomId"],
                "messageId": new["messageId"],
                "authorId": new.get("authorId"),
                "content": new.get("content"),
                "mentions": list(new.get("mentions") or []),
                "editedAt": new.get("editedAt"),
                "version": new.get("version"),
            },
        )
    return None


def _member(name: str, new: dict, old: dict, at: str | None) -> Event | None:
    if name == "INSERT":
        return _event(
            events.MEMBER_JOINED,
            {
                "roomId": new["roomId"],
                "userId": new["userId"],
                "role": new.get("role"),
                "joinedAt": new.get("joinedAt"),
            },
        )
    if name == "REMOVE":
        # Unbanning deletes a banned member's item: they left when they were banned.
        if old.get("isBanned") is True:
            return None
        return _event(
            events.MEMBER_LEFT,
            {"roomId": old["roomId"], "userId": old["userId"], "role": old.get("role"), "at": at},
        )
    if name == "MODIFY" and new.get("isBanned") is True and old.get("isBanned") is not True:
        return _event(
            events.MEMBER_BANNED,
            {
                "roomId": new["roomId"],
                "userId": new["userId"],
                "bannedBy": new.get("bannedBy"),
                "bannedAt": new.get("bannedAt"),
            },
        )
    return None


def _room(name: str, new: dict, old: dict, at: str | None) -> Event | None:
    if name == "INSERT":
        return _event(
            events.ROOM_CREATED,
            {
                "roomId": new["roomId"],
                "name": new.get("name"),
                "type": new.get("type"),
                "createdBy": new.get("createdBy"),
                "createdAt": new.get("createdAt"),
            },
        )
    if name == "REMOVE":
        return _event(
            events.ROOM_DELETED,
            {"roomId": old["roomId"], "name": old.get("name"), "type": old.get("type"), "at": at},
        )
    return None
