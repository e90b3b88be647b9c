"""deleteMessage's last step: a deleted message's files go with it.

The pipeline's earlier steps decided and wrote the tombstone (author, or moderator and
above); this step receives that tombstone as `prev.result` and acts only on a tombstone.
It deletes the object and thumbnail of each attachment whose upload record names this
message (so a forged list could not reach someone else's files), then the records. Both
are idempotent, so a repeated deleteMessage finishes an interrupted one. The tombstone is
returned as the mutation's result; its attachments are never shown again
(`functions/uploads/attachments.py` answers none for deleted messages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chatspec.rules import MAX_ATTACHMENTS
from functions.common.access import Access
from functions.common.errors import Conflict
from functions.common.uploads import FilesNotDeleted, Store, delete_upload_files


def delete_files(store: Store, access: Access, tombstone: Mapping[str, Any] | None) -> Any:
    access.require("read")
    if not tombstone or tombstone.get("isDeleted") is not True:
        raise Conflict("the message was not deleted, so its files stay")
    ids = [str(a["attachmentId"]) for a in tombstone.get("attachments") or []]
    if not ids:
        return tombstone
    if len(ids) > MAX_ATTACHMENTS:  # sendMessage never stores more; one BatchGetItem holds them
        raise ValueError(f"message holds {len(ids)} attachments, more than {MAX_ATTACHMENTS}")
    table = store.uploads.name
    found = store.uploads.meta.client.batch_get_item(
        RequestItems={table: {"Keys": [{"uploadId": i} for i in ids], "ConsistentRead": True}}
    )["Responses"].get(table, [])
    owned = [
        str(r["uploadId"])
        for r in found
        if r.get("messageId") == tombstone.get("messageId")
        and r.get("roomId") == tombstone.get("roomId")
    ]
    remove_uploads(store, owned)
    return tombstone


def remove_uploads(store: Store, upload_ids: list[str]) -> None:
    """The uploads' files (as POSTed, as checked, thumbnails), then their records (idempotent:
    what is gone already is skipped). The callers decided that the uploads are theirs to
    delete. A file S3 refused to delete keeps its record (a file never outlives its record)
    and raises `FilesNotDeleted` after the others are done."""
    kept = delete_upload_files(store.s3, store.bucket, upload_ids)
    with store.uploads.batch_writer() as batch:
        for upload_id in upload_ids:
            if upload_id not in kept:
                batch.delete_item(Key={"uploadId": upload_id})
    if kept:
        raise FilesNotDeleted(kept)
