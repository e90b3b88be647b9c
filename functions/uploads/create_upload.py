"""createUpload: who may upload what, and the presigned POST that lets them.

The access decision comes from the pipeline (`getCallerMembership`): a message attachment
needs `may.post` in the room, a room avatar `may.manageMembers` (admins and up, who set
the room's settings); a user avatar concerns no room and is open to every signed-in user.
The room's file settings come from `chatspec.room_settings.effective(access.room)`:
`allowFileUploads`, `maxFileSizeBytes`, `allowedContentTypes`. Avatars are images of at
most `AVATAR_MAX_BYTES` whatever the room allows.

The POST's conditions are what S3 enforces, so a client cannot stretch them: the key is
`uploads/<uploadId>` (the server's, no client path), the Content-Type is exactly the
declared one, the size exactly the declared size (`content-length-range`), and the form
expires after `UPLOAD_POST_EXPIRY_SECONDS`. The PENDING record is written before the URL
is returned and expires (TTL) unless a message claims it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Mapping
from typing import Any

from chatspec import room_settings
from chatspec.rules import (
    AVATAR_CONTENT_TYPES,
    AVATAR_MAX_BYTES,
    INVISIBLE_RANGES,
    REFUSED_CONTROL_RANGES,
    UPLOAD_FILE_NAME_MAX_LENGTH,
    UPLOAD_PENDING_SECONDS,
    UPLOAD_POST_EXPIRY_SECONDS,
    UPLOAD_PURPOSES,
)
from functions.common.access import Access
from functions.common.errors import Unauthorized, ValidationError
from functions.common.identity import Caller
from functions.common.uploads import Store, object_key

PENDING = "PENDING"
ROOM_PURPOSES = {"MESSAGE_ATTACHMENT": "post", "ROOM_AVATAR": "manageMembers"}
"""The access decision's action each room purpose needs."""


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _within(character: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(character)
    return any(low <= code <= high for low, high in ranges)


def check_file_name(file_name: Any) -> str:
    """The content rules of `chatspec.rules` (the templates' `$rules.blank` and
    `$rules.noRefusedControl` are Java regexes, built from the same ranges)."""
    if not isinstance(file_name, str):
        raise ValidationError("fileName must be a string")
    name = file_name.strip()
    if all(_within(c, INVISIBLE_RANGES) for c in name):
        raise ValidationError("fileName must not be blank")
    if len(name) > UPLOAD_FILE_NAME_MAX_LENGTH:
        raise ValidationError(
            f"fileName must be 1 to {UPLOAD_FILE_NAME_MAX_LENGTH} characters, got {len(name)}"
        )
    if any(_within(c, REFUSED_CONTROL_RANGES) for c in name) or "/" in name or "\\" in name:
        raise ValidationError("fileName must hold no control characters and no / or \\")
    return name


def limits_for(purpose: str, access: Access | None) -> tuple[int, tuple[str, ...]]:
    """The largest size and the content types this purpose allows here."""
    if purpose == "USER_AVATAR":
        return AVATAR_MAX_BYTES, AVATAR_CONTENT_TYPES
    settings = room_settings.effective((access.room if access else None) or {})
    if not settings["allowFileUploads"]:
        room_id = access.decision.get("roomId") if access else None
        raise Unauthorized(f"room {room_id} does not allow file uploads")
    largest = int(settings["maxFileSizeBytes"])
    types = tuple(settings["allowedContentTypes"])
    if purpose == "ROOM_AVATAR":
        return min(largest, AVATAR_MAX_BYTES), tuple(t for t in AVATAR_CONTENT_TYPES)
    return largest, types


def decide(purpose: Any, room_id: Any, access: Access | None) -> None:
    """Raise unless the caller may upload for `purpose` (the decision says who may)."""
    if purpose not in UPLOAD_PURPOSES:
        raise ValidationError(f"purpose must be one of {', '.join(UPLOAD_PURPOSES)}")
    if purpose == "USER_AVATAR":
        if room_id is not None:
            raise ValidationError("a USER_AVATAR upload belongs to no room: leave roomId out")
        return
    if room_id is None or access is None:
        raise ValidationError(f"a {purpose} upload needs roomId")
    access.require(ROOM_PURPOSES[purpose])


def create_upload(
    store: Store, caller: Caller, arguments: Mapping[str, Any], access: Access | None
) -> dict[str, Any]:
    values = arguments.get("input") or {}
    purpose, room_id = values.get("purpose"), values.get("roomId")
    decide(purpose, room_id, access)
    file_name = check_file_name(values.get("fileName"))
    content_type, size = values.get("contentType"), values.get("size")
    largest, types = limits_for(str(purpose), access)
    if content_type not in types:
        raise ValidationError(
            f"contentType {str(content_type)[:80]!r} is not allowed here; allowed: "
            + ", ".join(types)
        )
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= largest:
        raise ValidationError(f"size must be 1 to {largest} bytes, got {size}")

    upload_id = str(uuid.uuid4())
    key = object_key(upload_id)
    now = _now()
    record: dict[str, Any] = {
        "uploadId": upload_id,
        "ownerId": caller.sub,
        "purpose": purpose,
        "fileName": file_name,
        "contentType": content_type,
        "size": size,
        "status": PENDING,
        "objectKey": key,
        "createdAt": _iso(now),
        "expiresAt": int(now.timestamp()) + UPLOAD_PENDING_SECONDS,
    }
    if room_id is not None:
        record["roomId"] = room_id
        incarnation = (access.room or {}).get("incarnation") if access else None
        if incarnation:
            record["incarnation"] = incarnation
    store.uploads.put_item(Item=record, ConditionExpression="attribute_not_exists(uploadId)")
    post = store.s3.generate_presigned_post(
        store.bucket,
        key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=UPLOAD_POST_EXPIRY_SECONDS,
    )
    expires = now + datetime.timedelta(seconds=UPLOAD_POST_EXPIRY_SECONDS)
    return {
        "uploadId": upload_id,
        "url": post["url"],
        "fields": json.dumps(post["fields"]),
        "expiresAt": _iso(expires),
        "status": PENDING,
    }
