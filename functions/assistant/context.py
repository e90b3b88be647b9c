"""What the assistant may read to answer: only the asking user's room, and only messages
that user may read.

Who may read is the access decision's rule (`vtl/functions/getCallerMembership.response.vtl`):
an active membership that is not banned (a ban wins over everything). The asker posted the
triggering message, so they could post a moment ago; they are checked again here because
they may have been banned or removed since. The Cognito groups Admin and Moderator read
every room without being members, but a bus event does not carry groups: such a user gets
no answer in a room they are not a member of (stricter, never wider).

Deleted and hidden messages carry no content and are never given to the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from chatspec import room_settings
from functions.common.plain import plain


@dataclass(frozen=True)
class Tables:
    rooms: Any
    room_members: Any
    messages: Any
    usage: Any


@dataclass(frozen=True)
class Asker:
    room: dict[str, Any]
    membership: dict[str, Any]
    message: dict[str, Any]


def asker_may_be_answered(tables: Tables, detail: dict[str, Any]) -> Asker | None:
    """The room, the asker's membership and the triggering message as they are now, or
    None when the assistant must stay silent (room gone or not enabled, asker no longer a
    reader, message gone, deleted or hidden)."""
    room_id, author = detail.get("roomId"), detail.get("authorId")
    if not isinstance(room_id, str) or not isinstance(author, str):
        return None
    room = tables.rooms.get_item(Key={"roomId": room_id}, ConsistentRead=True).get("Item")
    if not room or room.get("deletingAt") is not None:
        return None
    if room_settings.effective(room).get("enableAssistant") is not True:
        return None
    membership = tables.room_members.get_item(
        Key={"roomId": room_id, "userId": author}, ConsistentRead=True
    ).get("Item")
    if not membership or membership.get("isBanned") is True:
        return None
    message = tables.messages.get_item(
        Key={"roomId": room_id, "messageId": detail.get("messageId")}, ConsistentRead=True
    ).get("Item")
    if not message or message.get("isDeleted") is True or message.get("content") is None:
        return None
    return Asker(plain(room), plain(membership), plain(message))


def readable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [plain(i) for i in items if i.get("isDeleted") is not True and i.get("content")]


def recent(tables: Tables, room_id: str, before: str, count: int) -> list[dict[str, Any]]:
    """The last `count` readable messages before `before` (a messageId), oldest first."""
    response = tables.messages.query(
        KeyConditionExpression=Key("roomId").eq(room_id) & Key("messageId").lt(before),
        ScanIndexForward=False,
        Limit=count,
    )
    return list(reversed(readable(response.get("Items", []))))


def unread(tables: Tables, asker: Asker, count: int) -> list[dict[str, Any]]:
    """The asker's unread messages (after their read marker, before the request), at most
    `count`, oldest first; the last `count` when they have never marked anything read."""
    room_id = asker.message["roomId"]
    last_read = asker.membership.get("lastReadMessageId")
    if not last_read:
        return recent(tables, room_id, asker.message["messageId"], count)
    response = tables.messages.query(
        KeyConditionExpression=Key("roomId").eq(room_id)
        & Key("messageId").between(last_read, asker.message["messageId"]),
        ScanIndexForward=False,
        Limit=count + 2,
    )
    items = [
        i
        for i in response.get("Items", [])
        if i["messageId"] not in (last_read, asker.message["messageId"])
    ]
    return list(reversed(readable(items)))[-count:]


def replied_to(tables: Tables, asker: Asker) -> dict[str, Any] | None:
    reply_to = asker.message.get("replyTo")
    if not reply_to:
        return None
    item = tables.messages.get_item(
        Key={"roomId": asker.message["roomId"], "messageId": reply_to}
    ).get("Item")
    found = readable([item] if item else [])
    return found[0] if found else None
