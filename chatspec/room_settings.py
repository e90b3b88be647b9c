"""Room settings, declared once: every key a room's owner and admins may set.

A room item stores only the keys someone set, as the map attribute `settings`; every other
key takes the default of the room's type. `effective()` merges the two, and is what the
access decision, the templates (through `$rules`), the Lambdas (the artifact ships
`chatspec`) and the tests read, so no reader ever sees a missing key or a different default.

Three capabilities own keys here: rooms (invites, approval, retention, slow mode, anonymous
posts, appearance), files (uploads) and the assistant and moderation. The GraphQL types
`RoomSettings` / `RoomSettingsInput` list exactly these keys (a contract test compares
them), and updateRoomSettings validates every change against these declarations (type,
range, length, allowed values, the room types where a key is fixed; for the image keys,
the upload they name: `upload_purpose`).

Plain data: no pulumi, no boto3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chatspec.rules import ID_MAX_LENGTH

ROOM_TYPES = ("PUBLIC", "PRIVATE", "DIRECT", "GROUP", "ANNOUNCEMENT")

MODERATION_LEVELS = ("NONE", "FLAG", "HIDE")
"""NONE: nothing is checked. FLAG: a toxic message is marked for moderators. HIDE: a toxic
message is hidden from members until a moderator reviews it."""

MAX_FILE_SIZE_BYTES = 100 * 1024 * 1024
"""The largest upload any room may allow; the stack's uploads bucket enforces it too."""

DEFAULT_CONTENT_TYPES = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "audio/mpeg",
    "audio/ogg",
    "video/mp4",
)
CONTENT_TYPE_PATTERN = r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$"
"""A lower-case `type/subtype` (RFC 6838 restricted names); no parameters, no wildcards."""
MAX_CONTENT_TYPES = 50

TOPIC_MAX_LENGTH = 250
RETENTION_DAYS_RANGE = (1, 3650)
SLOW_MODE_SECONDS_RANGE = (0, 21600)
"""Up to six hours between one member's posts; 0 is off."""


@dataclass(frozen=True)
class RoomSetting:
    """One key. `kind` is the GraphQL scalar (`Boolean`, `Int`, `String`, `ID`, `[String!]`,
    `ModerationLevel`); `nullable` keys may be cleared with null (null means "not set",
    which for them is a meaning: no retention, no topic). `defaults` per room type: a type
    missing from it takes `default`. `fixed` room types cannot change the key at all.
    `upload_purpose` makes an ID key name a READY upload of this room with that purpose,
    which updateRoomSettings claims (and the upload it replaces, releases and deletes)."""

    name: str
    kind: str
    default: Any
    description: str
    owner: str
    defaults: Mapping[str, Any] | None = None
    nullable: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    max_items: int | None = None
    fixed: tuple[str, ...] = ()
    upload_purpose: str | None = None

    def default_for(self, room_type: str) -> Any:
        if self.defaults and room_type in self.defaults:
            return self.defaults[room_type]
        return self.default


SETTINGS: tuple[RoomSetting, ...] = (
    RoomSetting(
        "allowInvites",
        "Boolean",
        False,
        "Members below moderator may add members (addMember).",
        "rooms",
        defaults={"GROUP": True},
        fixed=("DIRECT",),
    ),
    RoomSetting(
        "requireApproval",
        "Boolean",
        False,
        "PUBLIC rooms only: joinRoom creates a join request that a moderator approves.",
        "rooms",
        fixed=("PRIVATE", "DIRECT", "GROUP", "ANNOUNCEMENT"),
    ),
    RoomSetting(
        "messageRetentionDays",
        "Int",
        None,
        "Messages older than this many days disappear (DynamoDB TTL); null keeps them.",
        "rooms",
        nullable=True,
        minimum=RETENTION_DAYS_RANGE[0],
        maximum=RETENTION_DAYS_RANGE[1],
    ),
    RoomSetting(
        "slowModeSeconds",
        "Int",
        0,
        "A member below moderator may post once per this many seconds; 0 is off.",
        "rooms",
        minimum=SLOW_MODE_SECONDS_RANGE[0],
        maximum=SLOW_MODE_SECONDS_RANGE[1],
        fixed=("DIRECT",),
    ),
    RoomSetting(
        "anonymousPosting",
        "Boolean",
        False,
        "Authors are hidden from members, shown to moderators and above and to themselves.",
        "rooms",
        fixed=("DIRECT",),
    ),
    RoomSetting(
        "topic",
        "String",
        None,
        "One line shown under the room's name.",
        "rooms",
        nullable=True,
        max_length=TOPIC_MAX_LENGTH,
    ),
    RoomSetting(
        "avatarUploadId",
        "ID",
        None,
        "A READY upload with purpose ROOM_AVATAR of this room (files); null shows none.",
        "rooms",
        nullable=True,
        max_length=ID_MAX_LENGTH,
        upload_purpose="ROOM_AVATAR",
    ),
    RoomSetting(
        "bannerUploadId",
        "ID",
        None,
        "A READY upload with purpose ROOM_AVATAR of this room, shown as its banner.",
        "rooms",
        nullable=True,
        max_length=ID_MAX_LENGTH,
        upload_purpose="ROOM_AVATAR",
    ),
    RoomSetting(
        "allowFileUploads",
        "Boolean",
        True,
        "Members who may post may attach files (createUpload).",
        "files",
    ),
    RoomSetting(
        "maxFileSizeBytes",
        "Int",
        25 * 1024 * 1024,
        "The largest attachment, in bytes (the presigned POST's content-length-range).",
        "files",
        minimum=1,
        maximum=MAX_FILE_SIZE_BYTES,
    ),
    RoomSetting(
        "allowedContentTypes",
        "[String!]",
        DEFAULT_CONTENT_TYPES,
        "The content types an attachment may have, checked against its real bytes.",
        "files",
        pattern=CONTENT_TYPE_PATTERN,
        max_items=MAX_CONTENT_TYPES,
    ),
    RoomSetting(
        "enableAssistant",
        "Boolean",
        False,
        "Messages addressed to @assistant get an answer (only if the stack names a model).",
        "assistant",
    ),
    RoomSetting(
        "moderationLevel",
        "ModerationLevel",
        "NONE",
        "NONE, FLAG (toxic messages marked for moderators) or HIDE (hidden pending review).",
        "assistant",
        allowed=MODERATION_LEVELS,
    ),
)

BY_NAME: dict[str, RoomSetting] = {s.name: s for s in SETTINGS}
IMAGE_SETTINGS: tuple[str, ...] = tuple(s.name for s in SETTINGS if s.upload_purpose)
"""The keys that name an image of the room (an upload); a write claims at most one per key
and releases at most one per key (`$rules.maxRoomImages`), reading both
(`$rules.maxImageUploadReads`)."""


def defaults(room_type: str) -> dict[str, Any]:
    """Every key's default for a room of this type (lists as lists, for JSON and VTL)."""
    return {s.name: _plain(s.default_for(room_type)) for s in SETTINGS}


def effective(room: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a room has: its stored `settings` map over its type's defaults.
    Unknown stored keys (from a newer version, say) are dropped, not passed on."""
    values = defaults(str(room.get("type") or ""))
    stored = room.get("settings") or {}
    for name in BY_NAME:
        if name in stored:
            values[name] = _plain(stored[name])
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list, set)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def template_settings() -> dict[str, Any]:
    """What templates see as `$roomSettings`: the declarations in the order declared and the
    defaults of every room type, so updateRoomSettings validates each key from its own
    declaration and the access decision computes the effective settings in VTL exactly as
    `effective()` does here. A default of None is left out (a missing key reads as null)."""
    declarations = []
    for setting in SETTINGS:
        declaration: dict[str, Any] = {
            "name": setting.name,
            "kind": setting.kind,
            "nullable": setting.nullable,
            "fixed": list(setting.fixed),
        }
        for field in ("minimum", "maximum", "max_length", "pattern", "max_items", "upload_purpose"):
            value = getattr(setting, field)
            if value is not None:
                declaration[_camel(field)] = value
        if setting.allowed is not None:
            declaration["allowed"] = list(setting.allowed)
        declarations.append(declaration)
    per_type = {
        room_type: {k: v for k, v in defaults(room_type).items() if v is not None}
        for room_type in ROOM_TYPES
    }
    return {
        "keys": [s.name for s in SETTINGS],
        "declarations": declarations,
        "defaults": per_type,
    }


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
