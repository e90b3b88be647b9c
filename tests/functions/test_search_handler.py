"""The search Lambda against moto (room_members) and the recorded-request OpenSearch double.

Events have the shape AppSync sends a direct Lambda resolver.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

import chatspec
from emulator.tables import create_tables
from emulator.testing import KEEP_BOTO3_SESSION
from functions.common import opensearch as opensearch_module
from functions.common.errors import Unauthorized, ValidationError
from functions.search import handler as search
from functions.search.memberships import BY_USER_INDEX, ROOM_MEMBERS_ENV
from functions.search.query import HIGHLIGHT, SORT
from tests.support.appsync_events import appsync_event, resolved
from tests.support.opensearch_double import OpenSearchDouble

INDEX = "messages"
SEARCH_PATH = f"/{INDEX}/_search"


def search_event(
    arguments: dict[str, Any], sub: str | None = "alice", groups: list[str] | None = None
) -> dict[str, Any]:
    """The event for Query.searchMessages."""
    return appsync_event(
        "Query.searchMessages",
        arguments,
        sub,
        groups,
        selection=("items", "total", "nextToken"),
        selection_graphql="{ items { score } total nextToken }",
    )


def hit(message_id: str, room: str, score: float, millis: int) -> dict[str, Any]:
    return {
        "_index": INDEX,
        "_id": message_id,
        "_score": score,
        "_source": {
            "messageId": message_id,
            "roomId": room,
            "authorId": "bob",
            "content": "hello <there>",
            "type": "TEXT",
            "createdAt": "2026-11-02T10:00:00.000Z",
            "isEdited": True,
            "editedAt": "2026-11-02T10:05:00.000Z",
            "reactions": {"👍": ["alice"]},
        },
        "sort": [score, millis, message_id],
        "highlight": {"content": ["<em>hello</em> &lt;there&gt;"]},
    }


def search_answer(hits: list[dict[str, Any]], total: int | None = None) -> tuple[int, Any]:
    value = len(hits) if total is None else total
    return 200, {
        "took": 2,
        "timed_out": False,
        "hits": {"total": {"value": value, "relation": "eq"}, "max_score": None, "hits": hits},
    }


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "OPENSEARCH_INDEX": INDEX,
    }.items():
        monkeypatch.setenv(key, value)
    double = OpenSearchDouble()
    monkeypatch.setenv("OPENSEARCH_ENDPOINT", double.url)
    opensearch_module._clients.clear()
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("dynamodb", region_name="eu-west-1")
        names = create_tables(client, prefix="test")
        monkeypatch.setenv(ROOM_MEMBERS_ENV, names["room_members"])
        members = boto3.resource("dynamodb", region_name="eu-west-1").Table(names["room_members"])
        for room, user, banned in [
            ("room-1", "alice", False),
            ("room-2", "alice", False),
            ("room-3", "alice", True),
            ("room-4", "bob", False),
        ]:
            members.put_item(
                Item={
                    "roomId": room,
                    "userId": user,
                    "role": "MEMBER",
                    "joinedAt": f"2026-11-01T00:00:0{room[-1]}Z",
                    "isBanned": banned,
                    "isMuted": False,
                }
            )
        yield double
    double.stop()


READABLE = {"may": {"read": True}, "why": {}}


def refused(room: str) -> dict[str, Any]:
    why = {"type": "Unauthorized", "message": f"room {room} does not exist or you may not see it"}
    return {"may": {"read": False}, "why": {"read": why}}


def call(arguments: dict[str, Any], access: dict | None = None, **identity: Any) -> Any:
    """The pipeline step's invocation; a returned client error is raised as its class."""
    event = search_event(arguments, **identity)
    if access is not None:
        event["stash"] = {"access": access}
    return resolved(search.handler(event, None))


def test_dispatch_and_names_match_the_specification():
    assert set(search.ACTIONS) == set(chatspec.lambda_function("search").actions)
    wiring = chatspec.resolvers.resolver("Query.searchMessages")
    assert (wiring.kind, wiring.functions) == ("PIPELINE", ("getCallerMembership", "searchRun"))
    assert (
        next(f for f in chatspec.PIPELINE_FUNCTIONS if f.name == "searchRun").data_source
        == "SearchLambda"
    )
    assert chatspec.table("room_members").env_var == ROOM_MEMBERS_ENV
    assert chatspec.table("room_members").index(BY_USER_INDEX).hash_key.name == "userId"


def test_search_covers_the_callers_rooms_except_banned_ones(env):
    env.on("POST", SEARCH_PATH, search_answer([hit("m1", "room-1", 2.5, 1793613600000)]))

    result = call({"query": "  hello  "})

    (sent,) = env.sent("POST", SEARCH_PATH)
    assert sent.json() == {
        "query": {
            "bool": {
                "must": [{"multi_match": {"query": "hello", "fields": ["content"]}}],
                "filter": [{"terms": {"roomId": ["room-1", "room-2"]}}],
                "must_not": [{"term": {"isDeleted": True}}],
            }
        },
        "sort": SORT,
        "size": 21,
        "track_total_hits": True,
        "highlight": HIGHLIGHT,
    }
    assert sent.headers["authorization"].startswith("AWS4-HMAC-SHA256 ")
    assert result == {
        "items": [
            {
                "message": {
                    "roomId": "room-1",
                    "messageId": "m1",
                    "authorId": "bob",
                    "content": "hello <there>",
                    "type": "TEXT",
                    "createdAt": "2026-11-02T10:00:00.000Z",
                    "replyTo": None,
                    "clientMessageId": None,
                    "seq": None,
                    "isEdited": True,
                    "editedAt": "2026-11-02T10:05:00.000Z",
                    "isDeleted": False,
                    "deletedAt": None,
                    "deletedBy": None,
                    "reactions": {"👍": ["alice"]},
                    "pinned": False,
                    "pinnedAt": None,
                    "pinnedBy": None,
                    "version": None,
                    "anonymous": False,
                    "mentions": None,
                },
                "score": 2.5,
                "highlights": ["<em>hello</em> &lt;there&gt;"],
            }
        ],
        "total": 1,
        "nextToken": None,
    }


def test_a_room_the_caller_belongs_to_narrows_the_filter(env):
    env.on("POST", SEARCH_PATH, search_answer([]))

    call({"query": "hello", "roomId": "room-2", "limit": 5}, READABLE)

    body = env.sent("POST", SEARCH_PATH)[0].json()
    assert body["query"]["bool"]["filter"] == [{"terms": {"roomId": ["room-2"]}}]
    assert body["size"] == 6


@pytest.mark.parametrize("room", ["room-4", "room-3", "no-such-room"])
def test_a_room_the_decision_refuses_is_refused_with_its_reason(env, room):
    with pytest.raises(Unauthorized, match=room):
        call({"query": "hello", "roomId": room}, refused(room))
    assert env.requests == []


@pytest.mark.parametrize("group", ["Admin", "Moderator"])
def test_cognito_groups_do_not_override_the_decision(env, group):
    with pytest.raises(Unauthorized):
        call({"query": "hello", "roomId": "room-3"}, refused("room-3"), groups=[group])
    env.on("POST", SEARCH_PATH, search_answer([]))

    call({"query": "hello", "roomId": "room-4"}, READABLE, groups=[group])

    body = env.sent("POST", SEARCH_PATH)[0].json()
    assert body["query"]["bool"]["filter"] == [{"terms": {"roomId": ["room-4"]}}]


def test_a_search_in_one_room_without_a_decision_is_refused(env):
    with pytest.raises(Unauthorized, match="access decision"):
        call({"query": "hello", "roomId": "room-1"})
    assert env.requests == []


def test_group_powers_do_not_widen_a_search_without_room(env):
    env.on("POST", SEARCH_PATH, search_answer([]))

    call({"query": "hello"}, groups=["Admin"])

    body = env.sent("POST", SEARCH_PATH)[0].json()
    assert body["query"]["bool"]["filter"] == [{"terms": {"roomId": ["room-1", "room-2"]}}]


def test_a_caller_in_no_room_gets_an_empty_result_without_a_query(env):
    result = call({"query": "hello"}, sub="carol")

    assert result == {"items": [], "total": 0, "nextToken": None}
    assert env.requests == []


def test_a_caller_without_a_user_identity_is_unauthorized(env):
    with pytest.raises(Unauthorized):
        call({"query": "hello"}, sub=None)


def test_an_index_not_created_yet_means_no_hits(env):
    cause = {"type": "index_not_found_exception", "reason": "no such index [messages]"}
    env.on("POST", SEARCH_PATH, (404, {"error": {"root_cause": [cause], **cause}, "status": 404}))

    assert call({"query": "hello"}) == {"items": [], "total": 0, "nextToken": None}


def test_other_opensearch_failures_propagate(env):
    cause = {"type": "search_phase_execution_exception", "reason": "all shards failed"}
    env.on("POST", SEARCH_PATH, (500, {"error": {"root_cause": [cause], **cause}, "status": 500}))

    with pytest.raises(Exception, match="all shards failed"):
        call({"query": "hello"})


def test_pages_continue_after_the_last_hit_of_the_previous_page(env):
    hits = [hit(f"m{i}", "room-1", 3.0 - i, 1793613600000 - i) for i in range(3)]
    env.on("POST", SEARCH_PATH, search_answer(hits, total=7))

    first = call({"query": "hello", "limit": 2})

    assert [item["message"]["messageId"] for item in first["items"]] == ["m0", "m1"]
    assert first["total"] == 7
    assert isinstance(first["nextToken"], str)
    env.on("POST", SEARCH_PATH, search_answer(hits[2:], total=7))

    second = call({"query": "hello", "limit": 2, "nextToken": first["nextToken"]})

    body = env.sent("POST", SEARCH_PATH)[1].json()
    assert body["search_after"] == [2.0, 1793613599999, "m1"]
    assert [item["message"]["messageId"] for item in second["items"]] == ["m2"]
    assert second["nextToken"] is None


def test_a_token_from_another_search_is_refused(env):
    hits = [hit(f"m{i}", "room-1", 3.0 - i, 1793613600000) for i in range(2)]
    env.on("POST", SEARCH_PATH, search_answer(hits))
    token = call({"query": "hello", "limit": 1})["nextToken"]

    with pytest.raises(ValidationError, match="different search"):
        call({"query": "goodbye", "limit": 1, "nextToken": token})
    with pytest.raises(ValidationError, match="different search"):
        call({"query": "hello", "roomId": "room-1", "limit": 1, "nextToken": token}, READABLE)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": ""}, "query must be 1 to 256 characters after trimming, got 0"),
        ({"query": "   "}, "query must be 1 to 256 characters after trimming, got 0"),
        ({"query": "x" * 257}, "query must be 1 to 256 characters after trimming, got 257"),
        ({"query": "hi", "limit": 0}, "limit must be 1 to 100, got 0"),
        ({"query": "hi", "limit": 101}, "limit must be 1 to 100, got 101"),
        ({"query": "hi", "nextToken": "not-a-token"}, "nextToken is malformed"),
        ({"query": "hi", "nextToken": "eyJ2IjoxfQ"}, "nextToken is malformed"),
        ({"query": "hi", "nextToken": ""}, "nextToken is malformed"),
        ({"query": "hi", "roomId": " "}, "roomId must be a non-empty string"),
    ],
)
def test_bad_arguments_are_validation_errors_before_any_read(env, arguments, message):
    with pytest.raises(ValidationError) as error:
        call(arguments)
    assert message in str(error.value)
    assert env.requests == []


def test_query_of_exactly_256_characters_is_accepted(env):
    env.on("POST", SEARCH_PATH, search_answer([]))

    call({"query": "y" * 256, "limit": 100})

    body = env.sent("POST", SEARCH_PATH)[0].json()
    assert body["query"]["bool"]["must"][0]["multi_match"]["query"] == "y" * 256
    assert body["size"] == 101  # the page and one more, to know whether another follows
