"""myMentions: recent messages that mention the caller, across their rooms, newest first.

Two DynamoDB round trips per page, like myRooms: a Query of the caller's partition of the
`mentions` table (one item per mention, written in the send transaction, sorted by the
message's ULID, so newest first across rooms), then ONE BatchGetItem holding both the
messages and the caller's memberships of their rooms. A page therefore holds at most
`MAX_MENTIONS_LIMIT` mentions: with one membership key per room, a page asks for at most
twice as many keys, inside BatchGetItem's 100.

A mention is shown only while the caller is a member of its room and not banned there, and
while its message exists, is not deleted and has not passed its retention (TTL deletes
both items, later). Anonymous posts show the placeholder author unless the caller wrote
them; moderators see real authors through the room's own reads (getMessage).
"""

from __future__ import annotations

import time
from typing import Any

from boto3.dynamodb.conditions import Key

from chatspec.rules import ANONYMOUS_AUTHOR_ID
from functions.common.batch_get import batch_get_tables
from functions.common.errors import ValidationError
from functions.common.identity import Caller
from functions.common.pagination import DEFAULT_LIMIT, decode_token, encode_token
from functions.common.plain import plain
from functions.rooms.tables import Tables

MAX_MENTIONS_LIMIT = 50
"""Mentions per page: each needs its message and, at most, its room's membership."""
TOKEN_KEYS = frozenset({"userId", "mentionKey"})


def mentions_limit(value: Any) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_MENTIONS_LIMIT
    ):
        raise ValidationError(f"limit must be 1 to {MAX_MENTIONS_LIMIT}, got {value!r}")
    return value


def _batch_get(tables: Tables, request: dict[str, Any]) -> dict[str, list[dict]]:
    wanted: dict[str, tuple[list[dict[str, Any]], str | None]] = {
        name: (part["Keys"], None) for name, part in request.items()
    }
    return batch_get_tables(tables.dynamodb, wanted)


def visible_message(message: dict, caller: Caller, now: float) -> dict | None:
    """The message as the caller may see it here, or None when it is gone."""
    if message.get("isDeleted"):
        return None
    expires = message.get("expiresAt")
    if expires is not None and int(expires) <= now:
        return None
    shown = dict(message)
    shown["anonymous"] = bool(message.get("anonymous", False))
    if shown["anonymous"] and message.get("authorId") != caller.sub:
        shown["authorId"] = ANONYMOUS_AUTHOR_ID
    return shown


def my_mentions(tables: Tables, caller: Caller, limit: Any = None, next_token: Any = None) -> dict:
    size = mentions_limit(limit)
    start = decode_token(next_token, TOKEN_KEYS, fixed={"userId": caller.sub})
    query: dict[str, Any] = {
        "KeyConditionExpression": Key("userId").eq(caller.sub),
        "ScanIndexForward": False,
        "Limit": size,
    }
    if start:
        query["ExclusiveStartKey"] = start
    page = tables.mentions.query(**query)
    mentions = page.get("Items", [])
    room_ids = list(dict.fromkeys(m["roomId"] for m in mentions))
    items: list[dict] = []
    if mentions:
        request = {
            tables.messages.name: {
                "Keys": [{"roomId": m["roomId"], "messageId": m["messageId"]} for m in mentions]
            },
            tables.room_members.name: {
                "Keys": [{"roomId": room_id, "userId": caller.sub} for room_id in room_ids]
            },
        }
        found = _batch_get(tables, request)
        messages = {(m["roomId"], m["messageId"]): m for m in found[tables.messages.name]}
        rooms = {
            m["roomId"] for m in found[tables.room_members.name] if m.get("isBanned") is not True
        }
        now = time.time()
        for mention in mentions:
            message = messages.get((mention["roomId"], mention["messageId"]))
            if message is None or mention["roomId"] not in rooms:
                continue
            shown = visible_message(message, caller, now)
            if shown is not None:
                items.append(shown)
    return plain({"items": items, "nextToken": encode_token(page.get("LastEvaluatedKey"))})
