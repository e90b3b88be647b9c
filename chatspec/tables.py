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
  derived from it); `expiresAt` (TTL) removes records no message ever claimed, as the
  bucket's lifecycle removes their objects; `byRoom` lets deleteRoom find a room's objects.
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
)

ROOM_MEMBERS = Table(
    name="room_members",
    description="Membership (room, user) with role, moderation flags and read state.",
    hash_key=Key("roomId"),
    range_key=Key("userId"),
    indexes=(Index(name="byUser", hash_key=Key("userId"), range_key=Key("joinedAt")),),
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
)

TABLES: tuple[Table, ...] = (
    ROOMS,
    ROOM_MEMBERS,
    MESSAGES,
    PRESENCE,
    IDEMPOTENCY,
    USERS,
    UPLOADS,
)


def table(name: str) -> Table:
    for candidate in TABLES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no table {name!r} in the specification; known: {[t.name for t in TABLES]}")
