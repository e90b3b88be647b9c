"""deleteRoom: the room, its memberships and its messages, for the owner or a Cognito Admin.

DynamoDB cannot delete an unbounded number of items atomically, so the cascade is
ordered so that every prefix of it is a safe state and a retry finishes the job:

1. The room item goes first. From then on getRoom reports NotFound, myRooms skips the
   room, and joinRoom/addMember/createRoom transactions (conditioned on the room)
   cannot bring anyone in, so nothing new is added while the rest is removed.
2. Every membership except the OWNER's: other members lose read access at once.
3. The messages (the stream then removes them from the search index).
4. The OWNER's membership, last: while anything else is left it proves the caller's
   right to delete, so the owner can retry after a timeout or a failure and the call
   resumes where it stopped (deleting an item already gone is a no-op).

A call that finds neither the room nor anything left of it reports NotFound.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from functions.common.errors import NotFound, Unauthorized, ValidationError
from functions.common.identity import Caller
from functions.rooms.tables import Tables

OWNER = "OWNER"


def _key_pages(
    table: Any, room_id: str, names: tuple[str, ...], limit: int | None = None
) -> Iterator[list[dict]]:
    """Pages of the room's items, reading only `names` (placeholders: `role` is reserved)."""
    query: dict[str, Any] = {
        "KeyConditionExpression": Key("roomId").eq(room_id),
        "ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(names))),
        "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(names)},
        "ConsistentRead": True,
    }
    if limit:
        query["Limit"] = limit
    while True:
        page = table.query(**query)
        yield page.get("Items", [])
        if limit or "LastEvaluatedKey" not in page:
            return
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _delete_all(table: Any, keys: Iterable[dict], key_names: tuple[str, str]) -> None:
    """BatchWriteItem in chunks of 25; boto3's batch writer resends unprocessed items."""
    with table.batch_writer() as batch:
        for item in keys:
            batch.delete_item(Key={name: item[name] for name in key_names})


def _may_delete(caller: Caller, membership: dict | None) -> bool:
    is_owner = bool(
        membership and membership.get("role") == OWNER and membership.get("isBanned") is not True
    )
    return is_owner or caller.is_admin


def delete_room(tables: Tables, caller: Caller, room_id: Any) -> dict:
    if not isinstance(room_id, str) or not room_id.strip():
        raise ValidationError("roomId is required")
    key = {"roomId": room_id}
    room = tables.rooms.get_item(Key=key, ConsistentRead=True).get("Item")
    membership = tables.room_members.get_item(
        Key={"roomId": room_id, "userId": caller.sub}, ConsistentRead=True
    ).get("Item")
    if not _may_delete(caller, membership):
        if room is None:
            raise NotFound(f"room {room_id} does not exist")
        raise Unauthorized(f"only the owner of room {room_id} or an Admin may delete it")

    member_names = ("roomId", "userId", "role")
    members = [m for page in _key_pages(tables.room_members, room_id, member_names) for m in page]
    message_keys = ("roomId", "messageId")
    nothing_left = room is None and not members
    if nothing_left and not any(_key_pages(tables.messages, room_id, message_keys, limit=1)):
        raise NotFound(f"room {room_id} does not exist")

    tables.rooms.delete_item(Key=key)
    member_keys = ("roomId", "userId")
    _delete_all(tables.room_members, (m for m in members if m.get("role") != OWNER), member_keys)
    for page in _key_pages(tables.messages, room_id, message_keys):
        _delete_all(tables.messages, page, message_keys)
    _delete_all(tables.room_members, (m for m in members if m.get("role") == OWNER), member_keys)
    return {"roomId": room_id, "deleted": True}
