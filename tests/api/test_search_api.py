"""Query.searchMessages end to end through the emulator: real resolvers write messages,
the messages stream feeds the unmodified indexer into the OpenSearch stand-in, and the
search Lambda answers through the engine's direct Lambda resolver."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config

from emulator.identity import LOCAL_REGION
from emulator.opensearch import OpenSearchStandin
from emulator.streams import StreamFeeder, start_stream_feeder
from emulator.testing import LocalApi

SEARCH = """
query($q: String!, $room: ID, $limit: Int, $token: String) {
  searchMessages(query: $q, roomId: $room, limit: $limit, nextToken: $token) {
    items { message { messageId roomId content isEdited isDeleted reactions { emoji count } }
            score highlights }
    total nextToken
  }
}"""


class SearchWorld:
    def __init__(self, api: LocalApi) -> None:
        self.api = api
        streams = boto3.client(
            "dynamodbstreams",
            region_name=LOCAL_REGION,
            config=Config(account_id_endpoint_mode="disabled"),
        )
        arn = api.dynamodb.describe_table(TableName=api.table_names["messages"])["Table"][
            "LatestStreamArn"
        ]
        self.feeder = StreamFeeder(streams, arn, api.functions["indexer"], "indexer")

    def index_stream(self) -> None:
        while self.feeder.poll_once():
            pass

    def room(self, owner: str, name: str, kind: str = "PUBLIC") -> str:
        answer = self.api.call(
            "mutation($n: String!, $t: RoomType!) { createRoom(input: {name: $n, type: $t})"
            " { roomId } }",
            {"n": name, "t": kind},
            user=owner,
        )
        assert answer.get("errors") is None, answer
        return answer["data"]["createRoom"]["roomId"]

    def send(self, user: str, room: str, content: str) -> str:
        answer = self.api.call(
            "mutation($r: ID!, $c: String!) { sendMessage(input: {roomId: $r, content: $c})"
            " { messageId } }",
            {"r": room, "c": content},
            user=user,
        )
        assert answer.get("errors") is None, answer
        return answer["data"]["sendMessage"]["messageId"]

    def search(
        self, user: str, query: str, groups: tuple[str, ...] = (), **variables: object
    ) -> dict:
        return self.api.call(SEARCH, {"q": query, **variables}, user=user, groups=groups)


@pytest.fixture
def world() -> Iterator[SearchWorld]:
    with OpenSearchStandin() as standin, LocalApi(opensearch_endpoint=standin.url) as api:
        yield SearchWorld(api)


def ids(answer: dict) -> list[str]:
    assert answer.get("errors") is None, answer
    return [hit["message"]["messageId"] for hit in answer["data"]["searchMessages"]["items"]]


def test_members_find_messages_of_their_rooms_only(world):
    general = world.room("alice", "general")
    private = world.room("bob", "private", "PRIVATE")
    seen = world.send("alice", general, "the quarterly report is ready")
    world.send("bob", private, "the quarterly secret")
    world.index_stream()

    answer = world.search("alice", "quarterly")

    assert ids(answer) == [seen]
    result = answer["data"]["searchMessages"]
    assert result["total"] == 1
    assert result["items"][0]["highlights"] == ["the <em>quarterly</em> report is ready"]
    assert result["items"][0]["message"]["reactions"] == []
    assert result["items"][0]["score"] > 0


def test_a_non_member_naming_a_room_is_unauthorized(world):
    private = world.room("bob", "private", "PRIVATE")
    world.send("bob", private, "hidden words")
    world.index_stream()

    denied = world.search("alice", "hidden", room=private)
    allowed = world.search("bob", "hidden", room=private)

    assert denied["data"] is None or denied["data"]["searchMessages"] is None
    assert denied["errors"][0]["errorType"] == "Unauthorized"
    assert len(ids(allowed)) == 1


def test_banned_members_no_longer_find_the_rooms_messages(world):
    room = world.room("alice", "lobby")
    assert (
        world.api.call(
            "mutation($r: ID!) { joinRoom(roomId: $r) { userId } }", {"r": room}, user="carol"
        ).get("errors")
        is None
    )
    world.send("alice", room, "pancakes at nine")
    world.index_stream()
    assert len(ids(world.search("carol", "pancakes"))) == 1

    banned = world.api.call(
        "mutation($r: ID!, $u: ID!) { banMember(roomId: $r, userId: $u) { isBanned } }",
        {"r": room, "u": world.api.sub_of("carol")},
        user="alice",
    )
    assert banned.get("errors") is None, banned

    assert ids(world.search("carol", "pancakes")) == []
    assert world.search("carol", "pancakes", room=room)["errors"][0]["errorType"] == "Unauthorized"


@pytest.mark.parametrize("group", ["Admin", "Moderator"])
def test_a_ban_beats_a_cognito_group_in_search(world, group):
    """Issue 9: searchMessages(roomId) returned a banned Admin's room; the search Lambda now
    obeys the pipeline's access decision, in which a ban wins over every group."""
    room = world.room("alice", "war room", "PRIVATE")
    added = world.api.call(
        "mutation($r: ID!, $u: ID!) { addMember(roomId: $r, userId: $u) { userId } }",
        {"r": room, "u": world.api.sub_of("carol")},
        user="alice",
    )
    assert added.get("errors") is None, added
    secret = world.send("alice", room, "the launch codes are rotated")
    world.index_stream()
    in_group = (group,)
    assert ids(world.search("carol", "launch", in_group, room=room)) == [secret]

    banned = world.api.call(
        "mutation($r: ID!, $u: ID!) { banMember(roomId: $r, userId: $u) { isBanned } }",
        {"r": room, "u": world.api.sub_of("carol")},
        user="alice",
    )
    assert banned.get("errors") is None, banned

    refused = world.search("carol", "launch", in_group, room=room)
    assert refused["errors"][0]["errorType"] == "Unauthorized", refused
    assert "banned" in refused["errors"][0]["message"]
    assert not (refused.get("data") or {}).get("searchMessages")
    assert ids(world.search("carol", "launch", in_group)) == []
    # The same group without the ban still reads every room, this one included.
    assert ids(world.search("bob", "launch", in_group, room=room)) == [secret]


def test_edits_and_deletes_reach_the_index(world):
    room = world.room("alice", "edits")
    edited = world.send("alice", room, "meet at the station")
    deleted = world.send("alice", room, "the station code is 1234")
    world.api.call(
        "mutation($r: ID!, $m: ID!) { editMessage(roomId: $r, messageId: $m,"
        ' content: "meet at the harbour") { isEdited } }',
        {"r": room, "m": edited},
    )
    world.api.call(
        "mutation($r: ID!, $m: ID!) { deleteMessage(roomId: $r, messageId: $m) { isDeleted } }",
        {"r": room, "m": deleted},
    )
    world.index_stream()

    assert ids(world.search("alice", "station")) == []
    harbour = world.search("alice", "harbour")
    assert ids(harbour) == [edited]
    assert harbour["data"]["searchMessages"]["items"][0]["message"]["isEdited"] is True


def test_paging_and_validation_errors_through_the_api(world):
    room = world.room("alice", "busy")
    for n in range(5):
        world.send("alice", room, f"standup note {n}")
    world.index_stream()

    first = world.search("alice", "standup", limit=3)
    token = first["data"]["searchMessages"]["nextToken"]
    second = world.search("alice", "standup", limit=3, token=token)

    assert len(ids(first)) == 3 and len(ids(second)) == 2
    assert set(ids(first)).isdisjoint(ids(second))
    assert second["data"]["searchMessages"]["nextToken"] is None
    for variables in ({"limit": 0}, {"limit": 101}, {"token": "garbage"}):
        error = world.search("alice", "standup", **variables)["errors"][0]
        assert error["errorType"] == "ValidationError", error
    assert world.search("alice", "  ")["errors"][0]["errorType"] == "ValidationError"


class MeetAfterLookup:
    """The idempotency data source, holding two sends together after their lookup, so both
    pass it before either writes: the race the Conflict path of sendMessage exists for."""

    def __init__(self, source) -> None:
        self.source = source
        self.barrier = threading.Barrier(2, timeout=60)

    def invoke(self, request):
        result = self.source.invoke(request)
        if request.get("operation") == "GetItem":
            self.barrier.wait()
        return result


def test_after_a_cancelled_transaction_every_later_message_is_indexed(world):
    """moto used to swap in a copy of the table on a cancelled transaction; the feeder then
    read a dead stream and search never indexed again."""
    api = world.api
    room = world.room("alice", "general")
    streams = boto3.client(
        "dynamodbstreams",
        region_name=LOCAL_REGION,
        config=Config(account_id_endpoint_mode="disabled"),
    )
    feeder = start_stream_feeder(
        api.dynamodb, streams, api.table_names["messages"], api.functions["indexer"], "indexer"
    )
    try:
        sources = api.engine.data_sources
        original = sources["IdempotencyTable"]
        sources["IdempotencyTable"] = MeetAfterLookup(original)
        send = (
            'mutation($r: ID!) { sendMessage(input: {roomId: $r, content: "okapi first",'
            ' clientMessageId: "same-id"}) { messageId } }'
        )
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda _: api.call(send, {"r": room}), range(2)))
        sources["IdempotencyTable"] = original
        kinds = sorted((a.get("errors") or [{}])[0].get("errorType") or "" for a in answers)
        assert kinds == ["", "Conflict"], answers
        later = {world.send("alice", room, f"okapi number {n}") for n in range(5)}
        found: set[str] = set()
        for _ in range(600):  # bounded: the feeder indexes within a few rounds
            found = set(ids(world.search("alice", "okapi")))
            if later <= found:
                break
            threading.Event().wait(0.05)
        assert later <= found
        assert len(found) == 6
    finally:
        feeder.stop()
