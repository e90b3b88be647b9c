"""messageRetentionDays through the emulator: a message sent while a room keeps N days gets a
DynamoDB TTL; when TTL deletes it (the emulator's sweep, run at a chosen instant), it is
gone from history, threads, pins, catch-up, search (the stream's REMOVE reaches the
unmodified indexer) and myMentions; and an expired item DynamoDB has not deleted yet is
filtered from reads, as AWS documents."""

from __future__ import annotations

import time
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config

from emulator.identity import LOCAL_REGION
from emulator.opensearch import OpenSearchStandin
from emulator.streams import StreamFeeder
from emulator.testing import LocalApi
from tests.api.seed import create_room, data, message_mutation, send, update_settings

DAY = 86400
LIST = "query($r: ID!) { listMessages(roomId: $r) { items { messageId } } }"
THREAD = """query($r: ID!, $m: ID!) {
  getThread(roomId: $r, messageId: $m) { root { messageId } replies { messageId } } }"""
PINS = "query($r: ID!) { listPinnedMessages(roomId: $r) { items { messageId } } }"
CHANGES = "query($r: ID!) { messageChanges(roomId: $r) { items { messageId } hasMore } }"
SEARCH = """query($q: String!, $r: ID) {
  searchMessages(query: $q, roomId: $r) { items { message { messageId } } total } }"""
GET = "query($r: ID!, $m: ID!) { getMessage(roomId: $r, messageId: $m) { messageId } }"


class Indexed:
    def __init__(self, api: LocalApi) -> None:
        self.api = api
        streams = boto3.client(
            "dynamodbstreams",
            region_name=LOCAL_REGION,
            config=Config(account_id_endpoint_mode="disabled"),
        )
        table = api.table_names["messages"]
        arn = api.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
        self.feeder = StreamFeeder(streams, arn, api.functions["indexer"], "indexer")

    def index_stream(self) -> None:
        while self.feeder.poll_once():
            pass


@pytest.fixture
def indexed() -> Iterator[Indexed]:
    with OpenSearchStandin() as standin, LocalApi(opensearch_endpoint=standin.url) as api:
        yield Indexed(api)


def ids(result: dict, field: str, key: str = "items") -> list[str]:
    return [item["messageId"] for item in data(result, field)[key]]


def test_retention_removes_a_message_everywhere_once_ttl_deletes_it(indexed):
    api = indexed.api
    room = create_room(api, members=("bob",))
    kept = send(api, room, "kept forever: zebra")["messageId"]
    update_settings(api, room, messageRetentionDays=1)
    root = send(api, room, "short lived zebra", mentions=[api.sub_of("bob")])["messageId"]
    reply = send(api, room, "reply zebra", replyTo=root, user="bob")["messageId"]
    data(message_mutation(api, "pinMessage", room, root), "pinMessage")
    indexed.index_stream()
    search = api.call(SEARCH, {"q": "zebra", "r": room})
    assert data(search, "searchMessages")["total"] == 3
    stored = {m["messageId"]: m for m in api.scan("messages")}
    assert "expiresAt" not in stored[kept]
    assert 0 < stored[root]["expiresAt"] - time.time() <= DAY

    not_yet = api.expire_ttl(time.time() + DAY - 60)
    assert not_yet["messages"] == 0
    deleted = api.expire_ttl(time.time() + DAY + 60)
    indexed.index_stream()

    assert deleted["messages"] == 2 and deleted["mentions"] == 1
    assert ids(api.call(LIST, {"r": room}), "listMessages") == [kept]
    assert api.call(THREAD, {"r": room, "m": root})["errors"][0]["errorType"] == "NotFound"
    assert ids(api.call(PINS, {"r": room}), "listPinnedMessages") == []
    assert ids(api.call(CHANGES, {"r": room}), "messageChanges") == [kept]
    assert api.call(GET, {"r": room, "m": reply})["data"]["getMessage"] is None
    found = data(api.call(SEARCH, {"q": "zebra", "r": room}), "searchMessages")
    assert [hit["message"]["messageId"] for hit in found["items"]] == [kept]
    assert api.scan("mentions") == []


def test_an_expired_message_ttl_has_not_deleted_yet_is_not_read(api):
    """DynamoDB deletes expired items up to days later and returns them until then."""
    room = create_room(api)
    update_settings(api, room, messageRetentionDays=1)
    root = send(api, room, "expired already")["messageId"]
    send(api, room, "reply", replyTo=root)
    data(message_mutation(api, "pinMessage", room, root), "pinMessage")
    past = str(int(time.time()) - 1)
    for item in api.scan("messages"):
        api.dynamodb.update_item(
            TableName=api.table_names["messages"],
            Key={"roomId": {"S": room}, "messageId": {"S": item["messageId"]}},
            UpdateExpression="SET expiresAt = :past",
            ExpressionAttributeValues={":past": {"N": past}},
        )

    assert ids(api.call(LIST, {"r": room}), "listMessages") == []
    assert ids(api.call(PINS, {"r": room}), "listPinnedMessages") == []
    assert api.call(GET, {"r": room, "m": root})["errors"][0]["errorType"] == "NotFound"
    assert len(api.scan("messages")) == 2, "not deleted yet: only hidden"


def test_a_write_that_extends_an_item_keeps_it(api):
    room = create_room(api)
    update_settings(api, room, messageRetentionDays=1)
    message = send(api, room, "extended")["messageId"]
    api.dynamodb.update_item(
        TableName=api.table_names["messages"],
        Key={"roomId": {"S": room}, "messageId": {"S": message}},
        UpdateExpression="SET expiresAt = :later",
        ExpressionAttributeValues={":later": {"N": str(int(time.time()) + 10 * DAY)}},
    )
    assert api.expire_ttl(time.time() + 2 * DAY)["messages"] == 0
    assert len(api.scan("messages")) == 1


def test_clearing_retention_keeps_new_messages(api):
    room = create_room(api)
    update_settings(api, room, messageRetentionDays=1)
    update_settings(api, room, messageRetentionDays=None)
    send(api, room, "kept")
    assert api.expire_ttl(time.time() + 400 * DAY)["messages"] == 0
