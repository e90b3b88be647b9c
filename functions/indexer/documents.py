"""What one messages stream record asks of the index.

Documents are keyed by messageId, so replaying a record writes the same document again
instead of adding one. A soft-deleted message (isDeleted) leaves the index: its content
is gone, and search must not find it by the old text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from functions.common.plain import plain

INDEXED_FIELDS = (
    "messageId",
    "roomId",
    "authorId",
    "content",
    "type",
    "createdAt",
    "replyTo",
    "clientMessageId",
    "seq",
    "isEdited",
    "editedAt",
    "pinned",
    "pinnedAt",
    "pinnedBy",
    "reactions",
)


class UnindexableRecord(ValueError):
    """A stream record that cannot be turned into an index action."""


@dataclass(frozen=True)
class IndexAction:
    op: str  # "index" or "delete"
    doc_id: str
    document: dict[str, Any] | None = None


def document_from_image(image: dict[str, Any]) -> dict[str, Any]:
    return {f: plain(image[f]) for f in INDEXED_FIELDS if image.get(f) is not None}


def action_for(record: DynamoDBRecord) -> IndexAction:
    stream = record.dynamodb
    if stream is None:
        raise UnindexableRecord(f"record {record.event_id} has no dynamodb section")
    message_id = stream.keys.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        raise UnindexableRecord(f"record {record.event_id} has no messageId key")
    name = record.get("eventName")
    if name == "REMOVE":
        return IndexAction("delete", message_id)
    if name not in ("INSERT", "MODIFY"):
        raise UnindexableRecord(f"record {record.event_id} has unknown eventName {name!r}")
    image = stream.new_image
    if not image:
        raise UnindexableRecord(
            f"record {record.event_id} has no NewImage; the stream must be NEW_AND_OLD_IMAGES"
        )
    if image.get("isDeleted") is True:
        return IndexAction("delete", message_id)
    return IndexAction("index", message_id, document_from_image(image))
