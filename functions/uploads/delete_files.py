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

from chatspec.aws_limits import S3_DELETE_OBJECTS_KEYS
from chatspec.rules import MAX_ATTACHMENTS
from functions.common.access import Access
from functions.common.errors import Conflict
from functions.common.uploads import Store, object_key, thumbnail_key

S3_DELETE_MAX_KEYS = S3_DELETE_OBJECTS_KEYS.value


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
    """The uploads' objects and thumbnails, then their records (idempotent: what is gone
    already is skipped). The callers decided that the uploads are theirs to delete."""
    keys = [k for i in upload_ids for k in (object_key(i), thumbnail_key(i))]
    for start in range(0, len(keys), S3_DELETE_MAX_KEYS):
        chunk = keys[start : start + S3_DELETE_MAX_KEYS]
        store.s3.delete_objects(
            Bucket=store.bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True}
        )
    with store.uploads.batch_writer() as batch:
        for upload_id in upload_ids:
            batch.delete_item(Key={"uploadId": upload_id})
