"""myMentions against moto: two DynamoDB round trips per page whatever the page holds
(one Query, one BatchGetItem of messages and memberships), members only, newest first."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

import chatspec
from emulator.tables import create_table
from emulator.testing import KEEP_BOTO3_SESSION
from functions.common.identity import Caller
from functions.rooms.my_mentions import MAX_MENTIONS_LIMIT, my_mentions
from functions.rooms.tables import tables_from_env

PREFIX = "test"


@pytest.fixture
def tables(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("dynamodb")
        for table in chatspec.TABLES:
            monkeypatch.setenv(table.env_var, create_table(client, table, prefix=PREFIX))
        yield tables_from_env(boto3.resource("dynamodb"))


def seed(tables, rooms: int, per_room: int) -> None:
    for r in range(rooms):
        room = f"room-{r:02d}"
        tables.room_members.put_item(
            Item={"roomId": room, "userId": "bob", "role": "MEMBER", "isBanned": r == rooms - 1}
        )
        for m in range(per_room):
            message_id = f"01J{r:02d}{m:02d}".ljust(26, "0")
            tables.messages.put_item(
                Item={
                    "roomId": room,
                    "messageId": message_id,
                    "authorId": "alice",
                    "content": f"hi {r}/{m}",
                    "type": "TEXT",
                    "isDeleted": False,
                }
            )
            tables.mentions.put_item(
                Item={
                    "userId": "bob",
                    "mentionKey": f"{message_id}#{room}",
                    "roomId": room,
                    "messageId": message_id,
                }
            )


def test_a_full_page_costs_two_round_trips(tables):
    seed(tables, rooms=25, per_room=3)
    calls: list[str] = []
    tables.dynamodb.meta.client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: calls.append(model.name)
    )

    page = my_mentions(tables, Caller("bob", frozenset()), limit=MAX_MENTIONS_LIMIT)

    assert calls == ["Query", "BatchGetItem"]
    ids = [m["messageId"] for m in page["items"]]
    assert ids == sorted(ids, reverse=True), "newest first"
    assert not [m for m in page["items"] if m["roomId"] == "room-24"], "bob is banned there"
    assert len(ids) == MAX_MENTIONS_LIMIT - 3, "the newest room's 3 mentions are left out"
    assert page["nextToken"] is not None
