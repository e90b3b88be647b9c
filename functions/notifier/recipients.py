"""Who gets a push for a MessageSent: members other than the author, not banned, offline,
and either mentioned or not having muted the room's notifications."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from chatspec.push import ONLINE_STATUSES
from functions.common.batch_get import MAX_KEYS, batch_get


def room_members(table: Any, room_id: str) -> Iterator[dict[str, Any]]:
    """Every membership of the room, page by page."""
    request: dict[str, Any] = {"KeyConditionExpression": Key("roomId").eq(room_id)}
    while True:
        page = table.query(**request)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def wanting_push(members: Iterable[dict[str, Any]], detail: dict[str, Any]) -> list[str]:
    """User ids who may get a push, before presence: mentions pass a notification mute."""
    mentioned = set(detail.get("mentions") or [])
    author = detail.get("authorId")
    chosen = []
    for member in members:
        user = member["userId"]
        if user == author or member.get("isBanned") is True:
            continue
        if member.get("notificationsMuted") is True and user not in mentioned:
            continue
        chosen.append(user)
    return chosen


def offline(
    dynamodb: Any, presence_table: str, users: list[str], now: float | None = None
) -> list[str]:
    """Those of `users` with no live ONLINE/BUSY presence record (BatchGetItem, 100 keys
    each). `dynamodb` is a DynamoDB resource's client (plain Python values, not typed JSON)."""
    now = time.time() if now is None else now
    online: set[str] = set()
    for start in range(0, len(users), MAX_KEYS):
        keys = [{"userId": u} for u in users[start : start + MAX_KEYS]]
        for item in batch_get(dynamodb, presence_table, keys):
            live = float(item.get("expiresAt", 0)) > now
            if live and item.get("status") in ONLINE_STATUSES:
                online.add(item["userId"])
    return [u for u in users if u not in online]
