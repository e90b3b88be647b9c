"""DynamoDB requests per message operation: membership and message are read together.

Pipelines about one message read the caller's membership and the message in one
TransactGetItems (getCallerMembership with `$ctx.stash.messageId`), so getThread stays
within the architecture's budget of 2 sequential round trips per page. Pipelines that name
no message still read the membership with one consistent GetItem. IAM backends hold no
membership, so nothing reads one for them: their pipelines without a message send one request
fewer, and getMessage's TransactGetItems holds the message alone. Counted with a botocore hook
on the engine's DynamoDB client; `bench/round_trips.py` prints the same for every query.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from tests.api.seed import MESSAGE_FIELDS, create_room, data, message_mutation, react, send

THREAD = """
query Thread($roomId: ID!, $messageId: ID!) {
  getThread(roomId: $roomId, messageId: $messageId) { root { messageId } replies { messageId } }
}
"""
GET = f"""
query Get($roomId: ID!, $messageId: ID!) {{
  getMessage(roomId: $roomId, messageId: $messageId) {{ {MESSAGE_FIELDS} }}
}}
"""
LIST = "query L($r: ID!) { listMessages(roomId: $r) { items { messageId } } }"
GET_ROOM = "query R($r: ID!) { getRoom(roomId: $r) { roomId name } }"


class Requests:
    """Names of the DynamoDB operations the engine sent, in order."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, model: Any, **_: Any) -> None:
        self.names.append(model.name)


class TransactionTables:
    """Logical tables each TransactGetItems read, in item order."""

    def __init__(self, physical_to_logical: dict[str, str]) -> None:
        self._logical = physical_to_logical
        self.reads: list[list[str]] = []

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "TransactGetItems":
            items = params["TransactItems"]
            self.reads.append([self._logical[item["Get"]["TableName"]] for item in items])


@pytest.fixture
def requests(api) -> Iterator[Requests]:
    counter = Requests()
    api.dynamodb.meta.events.register("before-call.dynamodb", counter)
    yield counter
    api.dynamodb.meta.events.unregister("before-call.dynamodb", counter)


def _counted(requests: Requests, call) -> tuple[dict[str, Any], list[str]]:
    requests.names.clear()
    result = call()
    return result, list(requests.names)


def test_get_thread_reads_membership_and_root_in_one_request(api, requests):
    room = create_room(api, members=("bob",))
    root = send(api, room, "question")
    reply = send(api, room, "answer", user="bob", replyTo=root["messageId"])

    result, sent = _counted(
        requests,
        lambda: api.call(THREAD, {"roomId": room, "messageId": root["messageId"]}, user="bob"),
    )

    assert data(result, "getThread") == {
        "root": {"messageId": root["messageId"]},
        "replies": [{"messageId": reply["messageId"]}],
    }
    assert sent == ["TransactGetItems", "Query"]


def test_get_message_is_one_request(api, requests):
    room = create_room(api)
    message = send(api, room, "hello")

    result, sent = _counted(
        requests, lambda: api.call(GET, {"roomId": room, "messageId": message["messageId"]})
    )

    assert data(result, "getMessage") == message
    assert sent == ["TransactGetItems"]


def test_message_mutations_no_longer_read_the_message_separately(api, requests):
    room = create_room(api, members=("bob",))
    message = send(api, room, "pin me")

    pinned, pin_requests = _counted(
        requests, lambda: message_mutation(api, "pinMessage", room, message["messageId"])
    )
    reacted, react_requests = _counted(
        requests, lambda: react(api, room, message["messageId"], "\N{THUMBS UP SIGN}", user="bob")
    )

    assert data(pinned, "pinMessage")["pinned"] is True
    assert data(reacted, "addReaction")["reactions"][0]["count"] == 1
    assert pin_requests == ["TransactGetItems", "UpdateItem"]
    assert react_requests == ["TransactGetItems", "UpdateItem"]


def test_pipelines_without_a_message_read_membership_and_room_in_one_request(api, requests):
    room = create_room(api)
    send(api, room, "one")

    result, sent = _counted(requests, lambda: api.call(LIST, {"r": room}))

    assert len(data(result, "listMessages")["items"]) == 1
    assert sent == ["TransactGetItems", "Query"]


def test_non_members_learn_nothing_about_the_message_read_with_their_membership(api):
    room = create_room(api)
    message = send(api, room, "private")
    variables = {"roomId": room, "messageId": message["messageId"]}
    missing = {"roomId": room, "messageId": "01NOPE"}

    for query, field in ((GET, "getMessage"), (THREAD, "getThread")):
        existing = api.call(query, variables, user="mallory")
        unknown = api.call(query, missing, user="mallory")
        assert existing["data"] == {field: None}
        assert existing["errors"][0]["errorType"] == "Unauthorized"
        assert existing["errors"][0]["message"] == unknown["errors"][0]["message"]


def test_backends_read_the_room_but_no_membership(api, requests):
    room = create_room(api, members=("bob",), type="PRIVATE")
    message = send(api, room, "context", user="bob")
    transactions = TransactionTables({v: k for k, v in api.table_names.items()})
    api.dynamodb.meta.events.register("before-parameter-build.dynamodb", transactions)
    calls = {
        "getRoom": (GET_ROOM, {"r": room}),
        "listMessages": (LIST, {"r": room}),
        "getMessage": (GET, {"roomId": room, "messageId": message["messageId"]}),
    }

    member, backend = {}, {}
    for field, (query, variables) in calls.items():
        member[field] = _counted(requests, partial(api.call, query, variables, user="bob"))
        backend[field] = _counted(requests, partial(api.call_iam, query, variables))
    api.dynamodb.meta.events.unregister("before-parameter-build.dynamodb", transactions)

    for field in calls:
        assert data(backend[field][0], field) == data(member[field][0], field)
    assert {field: sent for field, (_, sent) in member.items()} == {
        "getRoom": ["TransactGetItems"],
        "listMessages": ["TransactGetItems", "Query"],
        "getMessage": ["TransactGetItems"],
    }
    assert {field: sent for field, (_, sent) in backend.items()} == {
        "getRoom": ["TransactGetItems"],
        "listMessages": ["TransactGetItems", "Query"],
        "getMessage": ["TransactGetItems"],
    }
    member_reads = ["room_members", "rooms"]
    assert transactions.reads == [
        member_reads,
        ["rooms"],
        member_reads,
        ["rooms"],
        [*member_reads, "messages"],
        ["rooms", "messages"],
    ]
