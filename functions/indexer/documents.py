"""What one message state asks of the index: a document under an external version.

Documents are keyed by messageId and written with the message's own `version` (raised by
every write to the message, in the same DynamoDB write) as OpenSearch's external version,
so the index keeps, for each message, the state with the highest version it was ever
given: replays, duplicates and records in any order converge to the table's latest state.

A deleted message is not removed from the index but replaced by a tombstone (messageId,
roomId, isDeleted, version), which search never returns: OpenSearch forgets a deleted
document's version after `index.gc_deletes` (60 s), after which a late, older insert would
bring the message back; a tombstone's version keeps refusing it. A REMOVE (the item itself
deleted, as deleteRoom does) leaves a tombstone one version above the removed item's.
Items written before versioning have no `version`: they count as version 0.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    "version",
    "anonymous",
    "mentions",
)
UNVERSIONED = 0


class UnindexableRecord(ValueError):
    """A stream record or item that cannot be turned into an index action."""


@dataclass(frozen=True)
class IndexAction:
    doc_id: str
    version: int
    document: dict[str, Any]

    @property
    def tombstone(self) -> bool:
        return self.document.get("isDeleted") is True


def version_of(image: Mapping[str, Any] | None) -> int:
    value = (image or {}).get("version")
    if value is None:
        return UNVERSIONED
    number = int(value)
    if number < 0 or number != value:
        raise UnindexableRecord(f"message version must be a non-negative integer, got {value!r}")
    return number


def tombstone(message_id: str, room_id: Any, version: int) -> IndexAction:
    document = {"messageId": message_id, "isDeleted": True, "version": version}
    if isinstance(room_id, str):
        document["roomId"] = room_id
    return IndexAction(message_id, version, document)


def action_for_item(item: Mapping[str, Any]) -> IndexAction:
    """The action for a message's current state (a NewImage, or an item read from the table)."""
    message_id = item.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        raise UnindexableRecord("the message has no messageId")
    version = version_of(item)
    if item.get("isDeleted") is True:
        return tombstone(message_id, item.get("roomId"), version)
    document = {f: plain(item[f]) for f in INDEXED_FIELDS if item.get(f) is not None}
    document["version"] = version
    return IndexAction(message_id, version, document)


def action_for(record: DynamoDBRecord) -> IndexAction:
    stream = record.dynamodb
    if stream is None:
        raise UnindexableRecord(f"record {record.event_id} has no dynamodb section")
    message_id = stream.keys.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        raise UnindexableRecord(f"record {record.event_id} has no messageId key")
    name = record.get("eventName")
    if name == "REMOVE":
        old = stream.old_image or {}
        return tombstone(message_id, stream.keys.get("roomId"), version_of(old) + 1)
    if name not in ("INSERT", "MODIFY"):
        raise UnindexableRecord(f"record {record.event_id} has unknown eventName {name!r}")
    image = stream.new_image
    if not image:
        raise UnindexableRecord(
            f"record {record.event_id} has no NewImage; the stream must be NEW_AND_OLD_IMAGES"
        )
    return action_for_item(image)
