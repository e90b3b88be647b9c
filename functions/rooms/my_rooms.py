"""myRooms: the caller's memberships joined with their rooms.

One page costs two DynamoDB round trips whatever the number of rooms: a Query on the
`byUser` index of room_members, then one BatchGetItem on rooms for every room on the
page (a page holds at most 100 keys, BatchGetItem's own ceiling). Only when DynamoDB
throttles and returns UnprocessedKeys does a page retry those keys, a bounded number
of times, rather than return rooms silently missing.

Banned memberships are filtered out by the Query itself, so a page may hold fewer items
than `limit` while `nextToken` still points further, as DynamoDB pagination does.
Memberships whose room no longer exists (a deleteRoom cascade in progress) are skipped.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from functions.common.batch_get import batch_get_tables
from functions.common.identity import Caller
from functions.common.pagination import decode_token, encode_token, page_limit
from functions.common.plain import plain
from functions.rooms.tables import Tables

BY_USER_INDEX = "byUser"
TOKEN_KEYS = frozenset({"userId", "joinedAt", "roomId"})


def _memberships(tables: Tables, caller: Caller, limit: int, start: dict | None) -> dict:
    query: dict[str, Any] = {
        "IndexName": BY_USER_INDEX,
        "KeyConditionExpression": Key("userId").eq(caller.sub),
        "FilterExpression": Attr("isBanned").not_exists() | Attr("isBanned").eq(False),
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if start:
        query["ExclusiveStartKey"] = start
    return tables.room_members.query(**query)


def _rooms_by_id(tables: Tables, room_ids: list[str]) -> dict[str, dict]:
    if not room_ids:
        return {}
    name = tables.rooms.name
    keys = [{"roomId": room_id} for room_id in room_ids]
    found = batch_get_tables(tables.dynamodb, {name: (keys, None)})
    return {room["roomId"]: room for room in found.get(name, [])}


def _unread(room: dict, membership: dict) -> int:
    return max(0, int(room.get("messageCount", 0)) - int(membership.get("lastReadSeq", 0)))


def _unread_mentions(membership: dict) -> int:
    """Mentions counted on the membership since the caller last read the room to its end."""
    mentioned = int(membership.get("mentionCount", 0))
    return max(0, mentioned - int(membership.get("mentionsReadCount", 0)))


def my_rooms(tables: Tables, caller: Caller, limit: Any = None, next_token: Any = None) -> dict:
    size = page_limit(limit)
    start = decode_token(next_token, TOKEN_KEYS, fixed={"userId": caller.sub})
    page = _memberships(tables, caller, size, start)
    memberships = page.get("Items", [])
    rooms = _rooms_by_id(tables, list(dict.fromkeys(m["roomId"] for m in memberships)))
    items = [
        {
            "room": rooms[m["roomId"]],
            "role": m["role"],
            "joinedAt": m["joinedAt"],
            "lastReadAt": m.get("lastReadAt"),
            "isMuted": bool(m.get("isMuted", False)),
            "unreadCount": _unread(rooms[m["roomId"]], m),
            "unreadMentionCount": _unread_mentions(m),
        }
        for m in memberships
        if m["roomId"] in rooms
    ]
    return plain({"items": items, "nextToken": encode_token(page.get("LastEvaluatedKey"))})
