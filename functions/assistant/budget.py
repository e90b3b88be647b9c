"""The assistant's limits, kept in DynamoDB with conditional writes so concurrent
invocations can never overspend: a claim per triggering message, a per-user rate per
minute and a per-room token budget per UTC day.

Tokens are reserved before the model is called (the request's estimated input plus the
maximum output) and the reservation is corrected to what Bedrock reports afterwards, so
a room can never exceed its budget by more than one request's estimate error, whatever
runs at the same time. Every item expires through the table's TTL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chatspec.assistant import CLAIM_SECONDS

DAY_SECONDS = 86_400


@dataclass(frozen=True)
class Limits:
    room_daily_tokens: int
    user_requests_per_minute: int


def _refused(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def claim(usage: Any, message_id: str, now: datetime) -> bool:
    """True if this invocation may answer `message_id`: nobody answered it yet and no other
    invocation holds a fresh claim (a replayed or retried event gets False)."""
    try:
        usage.update_item(
            Key={"usageKey": f"answer#{message_id}"},
            UpdateExpression="SET claimedAt = :now, expiresAt = :expires ADD attempts :one",
            ConditionExpression="attribute_not_exists(answeredAt) AND "
            "(attribute_not_exists(claimedAt) OR claimedAt < :stale)",
            ExpressionAttributeValues={
                ":now": _epoch(now),
                ":stale": _epoch(now - timedelta(seconds=CLAIM_SECONDS)),
                ":expires": _epoch(now) + DAY_SECONDS,
                ":one": 1,
            },
        )
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def answered(usage: Any, message_id: str, now: datetime) -> None:
    usage.update_item(
        Key={"usageKey": f"answer#{message_id}"},
        UpdateExpression="SET answeredAt = :now",
        ExpressionAttributeValues={":now": _epoch(now)},
    )


def take_user_request(usage: Any, user_id: str, limits: Limits, now: datetime) -> bool:
    """One request of the user's per-minute allowance; False when it is used up."""
    minute = now.astimezone(UTC).strftime("%Y%m%d%H%M")
    try:
        usage.update_item(
            Key={"usageKey": f"user#{user_id}#{minute}"},
            UpdateExpression="SET expiresAt = :expires ADD requests :one",
            ConditionExpression="attribute_not_exists(requests) OR requests < :limit",
            ExpressionAttributeValues={
                ":one": 1,
                ":limit": limits.user_requests_per_minute,
                ":expires": _epoch(now) + 2 * 60,
            },
        )
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def room_day_key(room_id: str, now: datetime) -> str:
    return f"room#{room_id}#{now.astimezone(UTC).strftime('%Y-%m-%d')}"


def reserve_tokens(usage: Any, room_id: str, tokens: int, limits: Limits, now: datetime) -> bool:
    """Reserve `tokens` of the room's budget for today; False when they do not fit."""
    if tokens > limits.room_daily_tokens:
        return False
    try:
        usage.update_item(
            Key={"usageKey": room_day_key(room_id, now)},
            UpdateExpression="SET expiresAt = :expires ADD tokens :tokens",
            ConditionExpression="attribute_not_exists(tokens) OR tokens <= :room",
            ExpressionAttributeValues={
                ":tokens": tokens,
                ":room": limits.room_daily_tokens - tokens,
                ":expires": _epoch(now) + 2 * DAY_SECONDS,
            },
        )
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def correct_tokens(usage: Any, room_id: str, delta: int, now: datetime) -> None:
    """What the model really used minus what was reserved (negative gives tokens back)."""
    if delta:
        usage.update_item(
            Key={"usageKey": room_day_key(room_id, now)},
            UpdateExpression="ADD tokens :delta",
            ExpressionAttributeValues={":delta": delta},
        )
