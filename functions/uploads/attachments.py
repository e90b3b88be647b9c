"""Message.attachments for a page: each message's attachments with presigned GET URLs.

AppSync batches the field (`max_batch_size`), so a page of 50 messages is one invocation
that signs every URL locally (presigning is computation, not a request). Who may read is
not decided here: the field resolves only under a message its parent resolver returned,
and every parent (listMessages, getMessage, the subscriptions, search, the mutations)
returns messages only to callers whose access decision allows reading the room, so
outsiders and banned users never reach it. A deleted message has no attachments; only a
READY file gets URLs; a download is served as an attachment (Content-Disposition) with
the checked type, so a browser never renders an uploaded file as a page of this origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from chatspec.rules import DOWNLOAD_URL_EXPIRY_SECONDS
from functions.common.uploads import Store, checked_key, thumbnail_key

READY = "READY"
FIELDS = ("attachmentId", "fileName", "contentType", "size", "status", "rejectedReason")


def _signed(store: Store, key: str, content_type: str, file_name: str) -> str:
    disposition = f"attachment; filename*=UTF-8''{quote(file_name, safe='')}"
    return store.s3.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": store.bucket,
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        },
        ExpiresIn=DOWNLOAD_URL_EXPIRY_SECONDS,
    )


def attachment_view(store: Store, stored: Mapping[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {name: stored.get(name) for name in FIELDS}
    view["size"] = int(stored.get("size") or 0)
    view["url"] = view["thumbnailUrl"] = None
    if stored.get("status") == READY:
        upload_id = str(stored["attachmentId"])
        name = str(stored.get("fileName") or upload_id)
        view["url"] = _signed(store, checked_key(upload_id), str(stored["contentType"]), name)
        if stored.get("thumbnail"):
            view["thumbnailUrl"] = _signed(
                store, thumbnail_key(upload_id), "image/png", f"thumbnail-{name}.png"
            )
    return view


def resolve_batch(store: Store, sources: list[Mapping[str, Any] | None]) -> list[dict]:
    """A result per source, in order, in the direct-resolver shape."""
    results = []
    for source in sources:
        source = source or {}
        stored = [] if source.get("isDeleted") else source.get("attachments") or []
        results.append({"data": [attachment_view(store, a) for a in stored]})
    return results
