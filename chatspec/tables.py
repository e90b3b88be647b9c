"""Every DynamoDB table of the chat backend.

Design notes (see ARCHITECTURE.md, "Data model rules"):
- messages are partitioned by room and sorted by a ULID (`$util.autoUlid()`), so history
  is one Query, newest first; the stream feeds the search indexer. Every write to a message
  adds 1 to its `version` and sets `changeKey` (`<epoch ms>#<messageId>`), so `byRoomChange`
  holds each message once, at its latest change: a client's catch-up is one Query.
- room_members is its own table, with `byUser` for the caller's rooms; the room's
  `memberCount` changes in the same transaction as a membership item.
- rooms carries a per-message counter (`messageCount`, used for unread counts); the sparse
  `byVisibility` index (only PUBLIC rooms have `visibility`) projects only attributes that
  never change per message, so no per-message write reaches its single "PUBLIC" partition.
- presence and idempotency records expire through TTL.
- moderation holds a room's reports (`report#<status>#<reportId>`, so listReports of one
  status is one Query) and its audit trail of moderator actions (`audit#<time>#<ulid>`),
  each written in the same transaction as the action it records.
- assistant_usage holds the assistant's conditional counters (a room's tokens per day, a
  user's questions per minute) and one claim per answered message; all expire through TTL.
- rooms and room_members have streams too: each feeds one EventBridge Pipe to the bus
  (`chatspec/events.py`); devices holds push endpoints (`functions/devices`).
"""

from __future__ import annotations

from chatspec.model import Index, Key, Table

ROOMS = Table(
    name="rooms",
    description="One item per room; direct rooms use a deterministic id built from both user ids.",
    hash_key=Key("roomId"),
    indexes=(
        Index(
            name="byVisibility",
            hash_key=Key("visibility"),
            range_key=Key("createdAt"),
            projection="INCLUDE",
            include=("name", "description", "type", "createdBy", "memberCount", "maxMembers"),
        ),
    ),
    stream=True,
)

ROOM_MEMBERS = Table(
    name="room_members",
    description="Membership (room, user) with role, moderation flags and read state.",
    hash_key=Key("roomId"),
    range_key=Key("userId"),
    indexes=(Index(name="byUser", hash_key=Key("userId"), range_key=Key("joinedAt")),),
    stream=True,
)

MESSAGES = Table(
    name="messages",
    description="Messages by room, sorted by ULID; tombstones stay after a delete.",
    hash_key=Key("roomId"),
    range_key=Key("messageId"),
    indexes=(
        Index(name="byReplyTo", hash_key=Key("replyTo"), range_key=Key("messageId")),
        Index(name="byPinnedRoom", hash_key=Key("pinnedRoomId"), range_key=Key("pinnedAt")),
        Index(name="byRoomChange", hash_key=Key("roomId"), range_key=Key("changeKey")),
    ),
    stream=True,
)

PRESENCE = Table(
    name="presence",
    description="Last known presence per user; expires when the client stops refreshing it.",
    hash_key=Key("userId"),
    ttl_attribute="expiresAt",
)

IDEMPOTENCY = Table(
    name="idempotency",
    description="sendMessage retries: (room, incarnation, author, clientMessageId) to the "
    "first message; byRoom lets deleteRoom remove a room's records.",
    hash_key=Key("idempotencyKey"),
    indexes=(Index(name="byRoom", hash_key=Key("roomId"), projection="KEYS_ONLY"),),
    ttl_attribute="expiresAt",
)

MODERATION = Table(
    name="moderation",
    description="Per room: reports (report#<status>#<reportId>) and the audit trail of "
    "moderator actions (audit#<ISO time>#<ULID>).",
    hash_key=Key("roomId"),
    range_key=Key("entryKey"),
)

ASSISTANT_USAGE = Table(
    name="assistant_usage",
    description="The assistant's budget counters and answer claims; they expire through TTL.",
    hash_key=Key("usageKey"),
    ttl_attribute="expiresAt",
)

DEVICES = Table(
    name="devices",
    description="Push devices per user: platform, token and the SNS endpoint they were given.",
    hash_key=Key("userId"),
    range_key=Key("deviceId"),
    indexes=(Index(name="byEndpoint", hash_key=Key("endpointArn"), projection="KEYS_ONLY"),),
)

TABLES: tuple[Table, ...] = (
    ROOMS,
    ROOM_MEMBERS,
    MESSAGES,
    PRESENCE,
    IDEMPOTENCY,
    DEVICES,
    MODERATION,
    ASSISTANT_USAGE,
)


def table(name: str) -> Table:
    for candidate in TABLES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no table {name!r} in the specification; known: {[t.name for t in TABLES]}")
