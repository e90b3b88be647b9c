"""Indexer and search Lambdas together through the OpenSearch stand-in, with opensearch-py.

The messages stream is replayed as DynamoDB Streams records; memberships live in moto.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from emulator.opensearch import OpenSearchStandin
from emulator.tables import create_tables
from emulator.testing import KEEP_BOTO3_SESSION
from functions.common import opensearch as opensearch_module
from functions.common.errors import Unauthorized
from functions.indexer import handler as indexer
from functions.indexer import mapping
from functions.search import handler as search
from tests.functions.test_indexer_handler import message, stream_record
from tests.functions.test_search_handler import search_event
from tests.support.appsync_events import resolved


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "OPENSEARCH_INDEX": "messages",
    }.items():
        monkeypatch.setenv(key, value)
    opensearch_module._clients.clear()
    mapping._ensured.clear()
    with OpenSearchStandin() as standin, mock_aws(config=KEEP_BOTO3_SESSION):
        monkeypatch.setenv("OPENSEARCH_ENDPOINT", standin.url)
        names = create_tables(boto3.client("dynamodb", region_name="eu-west-1"), prefix="it")
        monkeypatch.setenv("ROOM_MEMBERS_TABLE", names["room_members"])
        members = boto3.resource("dynamodb", region_name="eu-west-1").Table(names["room_members"])
        for room, user, banned in [
            ("general", "alice", False),
            ("random", "alice", False),
            ("secret", "bob", False),
            ("banned-from", "alice", True),
        ]:
            members.put_item(
                Item={
                    "roomId": room,
                    "userId": user,
                    "role": "MEMBER",
                    "joinedAt": "2026-11-01T00:00:00Z",
                    "isBanned": banned,
                }
            )
        yield standin


_sequence = iter(range(1000, 10**6))


def stream(*changes: tuple[str, dict[str, Any] | None, dict[str, Any] | None]) -> dict:
    records = [stream_record(str(next(_sequence)), name, new, old) for name, new, old in changes]
    return indexer.handler({"Records": records}, None)


def search_ids(query: str, may_read: bool = True, **arguments: Any) -> list[str]:
    """A search as the pipeline runs it: with a roomId, after an access decision."""
    event = search_event({"query": query, **arguments})
    if "roomId" in arguments:
        why = {"type": "Unauthorized", "message": "you may not read that room"}
        event["stash"] = {"access": {"may": {"read": may_read}, "why": {"read": why}}}
    result = resolved(search.handler(event, None))
    return [item["message"]["messageId"] for item in result["items"]]


def msg(message_id: str, room: str, content: str, second: int = 0, **extra: Any) -> dict:
    fields = {"roomId": room, "createdAt": f"2026-11-02T10:00:{second:02d}Z", **extra}
    return message(message_id, content, **fields)


def test_messages_are_found_only_in_the_callers_rooms(world):
    stream(
        ("INSERT", msg("g1", "general", "launch plan for friday"), None),
        ("INSERT", msg("r1", "random", "friday lunch?"), None),
        ("INSERT", msg("s1", "secret", "friday secret plan"), None),
        ("INSERT", msg("b1", "banned-from", "friday in the banned room"), None),
    )

    assert sorted(search_ids("friday")) == ["g1", "r1"]
    assert search_ids("friday", roomId="random") == ["r1"]
    with pytest.raises(Unauthorized):
        search_ids("friday", may_read=False, roomId="secret")
    with pytest.raises(Unauthorized):
        search_ids("friday", may_read=False, roomId="banned-from")


def test_results_carry_highlights_scores_and_totals(world):
    stream(
        ("INSERT", msg("a", "general", "Deploy <today>: deploy deploy", 1), None),
        ("INSERT", msg("b", "general", "maybe deploy later", 2), None),
    )

    result = resolved(search.handler(search_event({"query": "deploy"}), None))

    assert result["total"] == 2
    assert [i["message"]["messageId"] for i in result["items"]] == ["a", "b"]
    assert result["items"][0]["score"] > result["items"][1]["score"]
    assert result["items"][0]["highlights"] == [
        "<em>Deploy</em> &lt;today&gt;: <em>deploy</em> <em>deploy</em>"
    ]


def test_an_edited_message_is_found_by_its_new_content_only(world):
    original = msg("e1", "general", "meet at the station")
    stream(("INSERT", original, None))
    edited = {**original, "content": "meet at the harbour", "isEdited": True, "version": 2}
    stream(("MODIFY", edited, original))

    assert search_ids("station") == []
    assert search_ids("harbour") == ["e1"]


def test_deleted_and_removed_messages_are_not_found(world):
    first, second = msg("d1", "general", "secret code 42"), msg("d2", "general", "code 43")
    stream(("INSERT", first, None), ("INSERT", second, None))
    tombstone = {**first, "isDeleted": True, "deletedBy": "alice", "version": 2}
    del tombstone["content"]
    stream(("MODIFY", tombstone, first), ("REMOVE", None, second))

    assert search_ids("code") == []


def test_replaying_a_batch_does_not_duplicate_hits(world):
    batch = [("INSERT", msg("x1", "general", "replayed words"), None)]
    stream(*batch)
    stream(*batch)

    assert search_ids("replayed") == ["x1"]


def test_paging_walks_every_hit_once_in_order(world):
    stream(*[("INSERT", msg(f"p{i:02d}", "general", "page me", i), None) for i in range(7)])
    seen, token = [], None
    while True:
        arguments = {"query": "page", "limit": 3}
        if token:
            arguments["nextToken"] = token
        result = resolved(search.handler(search_event(arguments), None))
        seen += [item["message"]["messageId"] for item in result["items"]]
        assert result["total"] == 7
        token = result["nextToken"]
        if token is None:
            break

    assert seen == [f"p{i:02d}" for i in reversed(range(7))]


def test_a_document_the_index_rejects_is_a_batch_item_failure(world):
    good = stream_record("500", "INSERT", msg("ok", "general", "fine"))
    bad = stream_record("501", "INSERT", msg("bad", "general", "bad date", createdAt="soon"))

    response = indexer.handler({"Records": [good, bad]}, None)

    assert response == {"batchItemFailures": [{"itemIdentifier": "501"}]}
    assert search_ids("fine") == ["ok"]


def test_search_before_anything_was_indexed_finds_nothing(world):
    assert resolved(search.handler(search_event({"query": "anything"}), None)) == {
        "items": [],
        "total": 0,
        "nextToken": None,
    }
