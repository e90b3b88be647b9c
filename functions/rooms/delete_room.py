"""deleteRoom: the room, its memberships, messages and retry records; final and resumable.

Who may delete is not decided here: the pipeline's access decision (`getCallerMembership`)
says so in `access.may.deleteRoom` (the room's OWNER, or a Cognito Admin not banned from
it; whoever started a deletion may resume it).

DynamoDB cannot delete an unbounded number of items atomically, so the cascade is ordered
so that every prefix of it is a safe state and a repeated call finishes the job:

1. The room item is marked `deletingAt`/`deletingBy` (conditional, so only once). From
   then on the access decision treats the room as gone, and every write that adds to the
   room (a message, a membership, a retry record) carries the room guard in its own
   request, `attribute_not_exists(deletingAt)`, so nothing new can land: whatever
   committed before the mark is visible to the consistent queries below.
2. Every membership.
3. The messages (the stream then removes them from the search index), and with each
   message what hangs on it: its mention items (one per mentioned user, named by the
   message's `mentions`) and, for a poll, its votes.
4. The room's join requests and its moderation records (reports and the audit trail):
   their room is gone and no operation could read them again. The assistant's counters
   are left to their TTL (a day at most): they hold no content.
5. The retry records (idempotency table, `byRoom` index), then the room's uploads
   (uploads table, `byRoom` index): each file and thumbnail, then its record. The retry
   records are keyed with the room's
   incarnation as well, so one the index has not shown yet can never answer a retry in a
   room created again with the same id; it expires within a day.
6. The room item, last: while it exists, a DIRECT pair cannot create the room again, so a
   new incarnation never sees anything of the old one.

Deleting an item already gone is a no-op, so an interrupted call is resumed by calling
deleteRoom again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from functions.common.access import Access
from functions.common.errors import ValidationError
from functions.common.identity import Caller
from functions.common.uploads import FilesNotDeleted, delete_upload_files
from functions.rooms.tables import Tables

IDEMPOTENCY_BY_ROOM = "byRoom"
UPLOADS_BY_ROOM = "byRoom"
MESSAGE_READ = ("roomId", "messageId", "type", "mentions")


def _delete_dependents(tables: Tables, room_id: str, messages: list[dict]) -> None:
    """A page of messages' mention items and poll votes, before the messages themselves, so
    a resumed call still finds them through the messages."""
    mentions = [
        {"userId": user_id, "mentionKey": f"{m['messageId']}#{room_id}"}
        for m in messages
        for user_id in m.get("mentions") or ()
    ]
    _delete_all(tables.mentions, mentions, ("userId", "mentionKey"))
    for message in messages:
        if message.get("type") != "POLL":
            continue
        poll_key = f"{room_id}#{message['messageId']}"
        query: dict[str, Any] = {
            "KeyConditionExpression": Key("pollKey").eq(poll_key),
            "ProjectionExpression": "pollKey, userId",
            "ConsistentRead": True,
        }
        while True:
            page = tables.poll_votes.query(**query)
            _delete_all(tables.poll_votes, page.get("Items", []), ("pollKey", "userId"))
            if "LastEvaluatedKey" not in page:
                break
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _key_pages(
    table: Any,
    room_id: str,
    names: tuple[str, ...],
    index: str | None = None,
) -> Iterator[list[dict]]:
    """Pages of the room's items, reading only `names` (placeholders: `role` is reserved)."""
    query: dict[str, Any] = {
        "KeyConditionExpression": Key("roomId").eq(room_id),
        "ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(names))),
        "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(names)},
    }
    if index:
        query["IndexName"] = index
    else:
        query["ConsistentRead"] = True
    while True:
        page = table.query(**query)
        yield page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _delete_all(table: Any, keys: Iterable[dict], key_names: tuple[str, ...]) -> None:
    """BatchWriteItem in chunks of 25; boto3's batch writer resends unprocessed items."""
    with table.batch_writer() as batch:
        for item in keys:
            batch.delete_item(Key={name: item[name] for name in key_names})


def _delete_files(tables: Tables, upload_ids: list[str]) -> set[str]:
    """Each upload's files: as POSTed, as checked, its thumbnail; the ids S3 kept some of."""
    if not upload_ids:
        return set()
    if tables.s3 is None or tables.bucket is None:
        raise RuntimeError("the room has uploads but this Lambda has no uploads bucket")
    return delete_upload_files(tables.s3, tables.bucket, upload_ids)


def _mark(tables: Tables, room_id: str, caller: Caller) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    try:
        tables.rooms.update_item(
            Key={"roomId": room_id},
            UpdateExpression="SET deletingAt = :now, deletingBy = :by",
            ConditionExpression=Attr("roomId").exists() & Attr("deletingAt").not_exists(),
            ExpressionAttributeValues={":now": now, ":by": caller.sub},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise


def delete_room(tables: Tables, caller: Caller, room_id: Any, access: Access) -> dict:
    if not isinstance(room_id, str) or not room_id.strip():
        raise ValidationError("roomId is required")
    access.require("deleteRoom")
    _mark(tables, room_id, caller)
    for page in _key_pages(tables.room_members, room_id, ("roomId", "userId")):
        _delete_all(tables.room_members, page, ("roomId", "userId"))
    for page in _key_pages(tables.messages, room_id, MESSAGE_READ):
        _delete_dependents(tables, room_id, page)
        _delete_all(tables.messages, page, ("roomId", "messageId"))
    for page in _key_pages(tables.join_requests, room_id, ("roomId", "userId")):
        _delete_all(tables.join_requests, page, ("roomId", "userId"))
    for page in _key_pages(tables.moderation, room_id, ("roomId", "entryKey")):
        _delete_all(tables.moderation, page, ("roomId", "entryKey"))
    retries = ("idempotencyKey",)
    for page in _key_pages(tables.idempotency, room_id, retries, index=IDEMPOTENCY_BY_ROOM):
        _delete_all(tables.idempotency, page, retries)
    if tables.uploads is not None:
        kept: set[str] = set()
        for page in _key_pages(tables.uploads, room_id, ("uploadId",), index=UPLOADS_BY_ROOM):
            kept |= _delete_files(tables, [str(item["uploadId"]) for item in page])
            gone = [item for item in page if str(item["uploadId"]) not in kept]
            _delete_all(tables.uploads, gone, ("uploadId",))
        if kept:  # the room stays marked for deletion: deleteRoom again resumes it
            raise FilesNotDeleted(kept)
    tables.rooms.delete_item(Key={"roomId": room_id})
    return {"roomId": room_id, "deleted": True}
