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
- users holds one profile per Cognito user (display name, status text, avatar upload),
  written by the post-confirmation trigger, `me` (for users the trigger never saw) and
  updateProfile; read only in batches (BatchGetItem, at most 100 keys per request).
- uploads holds one record per createUpload (keyed by a server-chosen id, the object key
  derived from it); `expiresAt` (TTL) removes records nothing ever claimed (a message, a
  profile or a room claims one and removes it), and its stream hands those TTL removals to
  the file check, which deletes their objects (no bucket rule could tell an unclaimed object
  from an attached one); `byRoom` lets deleteRoom find a room's objects.
- presence and idempotency records expire through TTL; so do messages and mention items
  of rooms with a retention (`messageRetentionDays`).
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
            include=(
                "name",
                "description",
                "type",
                "createdBy",
                "memberCount",
                "maxMembers",
                "settings",
            ),
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
    ttl_attribute="expiresAt",
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
    stream=True,
)

USERS = Table(
    name="users",
    description="One profile per Cognito user (keyed by sub): display name, status, avatar.",
    hash_key=Key("userId"),
)

UPLOADS = Table(
    name="uploads",
    description="One item per createUpload: owner, room, purpose, the declared and checked "
    "type and size, status (PENDING, READY, REJECTED); expires unless a message claims it.",
    hash_key=Key("uploadId"),
    indexes=(Index(name="byRoom", hash_key=Key("roomId"), projection="KEYS_ONLY"),),
    ttl_attribute="expiresAt",
    stream=True,
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

MENTIONS = Table(
    name="mentions",
    description="One item per (mentioned user, message): myMentions is one Query newest first; "
    "it expires with its message (the room's retention).",
    hash_key=Key("userId"),
    range_key=Key("mentionKey"),
    ttl_attribute="expiresAt",
)

JOIN_REQUESTS = Table(
    name="join_requests",
    description="Requests to join rooms with requireApproval: (room, user) with status "
    "PENDING, APPROVED or REJECTED; listJoinRequests is one Query of the room.",
    hash_key=Key("roomId"),
    range_key=Key("userId"),
)

POLL_VOTES = Table(
    name="poll_votes",
    description="One item per (poll, voter) with the options chosen: a poll's votes never grow "
    "its message item, which keeps only a count per option.",
    hash_key=Key("pollKey"),
    range_key=Key("userId"),
    ttl_attribute="expiresAt",
)

TABLES: tuple[Table, ...] = (
    ROOMS,
    ROOM_MEMBERS,
    MESSAGES,
    PRESENCE,
    IDEMPOTENCY,
    USERS,
    UPLOADS,
    MENTIONS,
    JOIN_REQUESTS,
    POLL_VOTES,
    DEVICES,
    MODERATION,
    ASSISTANT_USAGE,
)


def table(name: str) -> Table:
    for candidate in TABLES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no table {name!r} in the specification; known: {[t.name for t in TABLES]}")
