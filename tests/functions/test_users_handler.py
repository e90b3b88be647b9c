"""The users Lambda against moto: Cognito's post-confirmation event, a BatchInvoke of
Message.author (one BatchGetItem however many messages), getUsers' visibility rule."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

import chatspec
from emulator.tables import create_table
from emulator.testing import KEEP_BOTO3_SESSION
from functions.users import handler as users_handler
from tests.support.appsync_events import FakeContext, appsync_event, resolved

PREFIX = "test"


@pytest.fixture
def dynamodb(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("dynamodb")
        for table in chatspec.TABLES:
            monkeypatch.setenv(table.env_var, create_table(client, table, prefix=PREFIX))
        users_handler._tables_named.cache_clear()
        yield boto3.resource("dynamodb")
        users_handler._tables_named.cache_clear()


def table(dynamodb, logical: str):
    return dynamodb.Table(chatspec.table(logical).deployed_name(PREFIX))


class Calls:
    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, model, **_) -> None:
        self.names.append(model.name)


@pytest.fixture
def calls(dynamodb):
    counter = Calls()
    users_handler.tables().dynamodb.meta.client.meta.events.register(
        "before-call.dynamodb", counter
    )
    return counter


def confirmation(sub: str, email: str, source: str = "PostConfirmation_ConfirmSignUp") -> dict:
    return {
        "version": "1",
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_test",
        "userName": sub,
        "callerContext": {"awsSdkVersion": "aws-sdk-js-3", "clientId": "client"},
        "triggerSource": source,
        "request": {"userAttributes": {"sub": sub, "email": email}},
        "response": {},
    }


def test_a_confirmed_sign_up_gets_a_profile_and_the_event_goes_back(dynamodb):
    event = confirmation("sub-1", "Jo.Smith@example.com")
    assert users_handler.handler(event, FakeContext("users")) == event
    item = table(dynamodb, "users").get_item(Key={"userId": "sub-1"})["Item"]
    assert item["displayName"] == "Jo.Smith"
    assert item["createdAt"].endswith("Z")


def test_a_repeated_confirmation_keeps_the_name_the_user_chose(dynamodb):
    table(dynamodb, "users").put_item(
        Item={"userId": "sub-1", "displayName": "Chosen", "createdAt": "2026-01-01T00:00:00Z"}
    )
    users_handler.handler(confirmation("sub-1", "jo@example.com"), FakeContext("users"))
    assert table(dynamodb, "users").get_item(Key={"userId": "sub-1"})["Item"]["displayName"] == (
        "Chosen"
    )


def test_a_forgotten_password_confirmation_writes_nothing(dynamodb):
    event = confirmation("sub-2", "x@example.com", "PostConfirmation_ConfirmForgotPassword")
    assert users_handler.handler(event, FakeContext("users")) == event
    assert "Item" not in table(dynamodb, "users").get_item(Key={"userId": "sub-2"})


def author_event(message_id: str, author_id: str) -> dict:
    event = appsync_event("Message.author", {}, "reader", selection=("displayName",))
    event["source"] = {"roomId": "r1", "messageId": message_id, "authorId": author_id}
    return event


def test_a_batch_of_50_authors_costs_one_batch_get_and_keeps_the_order(dynamodb, calls):
    users = table(dynamodb, "users")
    for n in range(10):
        users.put_item(Item={"userId": f"u{n}", "displayName": f"User {n}", "createdAt": "t"})
    batch = [author_event(f"m{i}", f"u{i % 10}") for i in range(48)]
    batch += [author_event("m48", "iam:backend"), author_event("m49", "anonymous#placeholder")]
    results = users_handler.handler(batch, FakeContext("users"))
    assert calls.names == ["BatchGetItem"]
    assert len(results) == 50
    assert [r["data"] and r["data"]["displayName"] for r in results[:48]] == [
        f"User {i % 10}" for i in range(48)
    ]
    assert results[48:] == [{"data": None}, {"data": None}]


def test_get_users_reads_memberships_then_profiles(dynamodb, calls):
    members, users = table(dynamodb, "room_members"), table(dynamodb, "users")
    for room, user in (("r1", "alice"), ("r1", "bob"), ("r2", "alice"), ("r3", "carol")):
        members.put_item(Item={"roomId": room, "userId": user, "joinedAt": "t", "role": "MEMBER"})
    members.put_item(
        Item={"roomId": "r2", "userId": "dave", "joinedAt": "t", "role": "MEMBER", "isBanned": True}
    )
    for user in ("alice", "bob", "carol", "dave"):
        users.put_item(Item={"userId": user, "displayName": user.title(), "createdAt": "t"})
    event = appsync_event("Query.getUsers", {"userIds": ["bob", "carol", "dave", "alice"]})
    got = resolved(users_handler.handler(event, FakeContext("users")))
    assert [p and p["displayName"] for p in got] == ["Bob", None, None, "Alice"]
    assert calls.names == ["Query", "BatchGetItem"]


def test_get_users_past_100_keys_checks_every_room_of_the_caller(dynamodb, calls):
    members, users = table(dynamodb, "room_members"), table(dynamodb, "users")
    for room in ("r1", "r2", "r3"):
        members.put_item(
            Item={"roomId": room, "userId": "alice", "joinedAt": room, "role": "MEMBER"}
        )
    asked = [f"u{n:03}" for n in range(100)]
    with users.batch_writer() as batch:
        for user in asked:
            batch.put_item(Item={"userId": user, "displayName": user, "createdAt": "t"})
    members.put_item(Item={"roomId": "r3", "userId": "u099", "joinedAt": "t", "role": "MEMBER"})
    event = appsync_event("Query.getUsers", {"userIds": asked})
    got = resolved(users_handler.handler(event, FakeContext("users")))
    assert [p["userId"] for p in got if p] == ["u099"]
    assert calls.names[0] == "Query" and len(calls.names) == 1 + 4  # (100 + 300) keys / 100
