"""Object keys, chosen by the server only: `uploads/<uploadId>` for the file and
`thumbnails/<uploadId>.png` for its thumbnail (outside `uploads/`, so writing one raises no
object-created notification for the check)."""

from __future__ import annotations

from chatspec.rules import THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX


def object_key(upload_id: str) -> str:
    return f"{UPLOAD_KEY_PREFIX}{upload_id}"


def thumbnail_key(upload_id: str) -> str:
    return f"{THUMBNAIL_KEY_PREFIX}{upload_id}.png"


def upload_id_of(key: str) -> str | None:
    """The uploadId of an object key under `uploads/`, None for any other key."""
    if not key.startswith(UPLOAD_KEY_PREFIX):
        return None
    rest = key[len(UPLOAD_KEY_PREFIX) :]
    return rest if rest and "/" not in rest else None
