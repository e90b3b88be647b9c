"""The indexer Lambda: its requests against the recorded-request OpenSearch double, and its
convergence against the OpenSearch stand-in (which versions documents as OpenSearch does).

Events have the shape Lambda receives from DynamoDB Streams (NEW_AND_OLD_IMAGES).
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer
from opensearchpy import OpenSearch

from emulator.opensearch import OpenSearchStandin
from functions.common import opensearch as opensearch_module
from functions.indexer import handler as indexer
from functions.indexer import mapping
from functions.indexer.mapping import INDEX_BODY, PROPERTIES
from tests.support.opensearch_double import OpenSearchDouble, bulk_answer

INDEX = "messages"
STREAM_ARN = (
    "arn:aws:dynamodb:eu-west-1:123456789012:table/chat-dev-messages/stream/2026-11-01T00:00:00.000"
)
_serializer = TypeSerializer()


def _image(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in item.items()}


def message(message_id: str, content: str | None = "hello world", **extra: Any) -> dict[str, Any]:
    item = {
        "roomId": "room-1",
        "messageId": message_id,
        "authorId": "alice",
        "content": content,
        "type": "TEXT",
        "createdAt": "2026-11-02T10:00:00.000Z",
        "seq": 1,
        "isEdited": False,
        "isDeleted": False,
        "reactions": {},
        "version": 1,
        **extra,
    }
    return {k: v for k, v in item.items() if v is not None}


def stream_record(
    sequence: str,
    event_name: str,
    new: dict[str, Any] | None = None,
    old: dict[str, Any] | None = None,
) -> dict[str, Any]:
    either = new or old or {}
    body: dict[str, Any] = {
        "ApproximateCreationDateTime": 1793613600.0,
        "Keys": _image({"roomId": either["roomId"], "messageId": either["messageId"]}),
        "SequenceNumber": sequence,
        "SizeBytes": 120,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if new is not None:
        body["NewImage"] = _image(new)
    if old is not None:
        body["OldImage"] = _image(old)
    return {
        "eventID": f"event-{sequence}",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "dynamodb": body,
        "eventSourceARN": STREAM_ARN,
    }


def _environment(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("OPENSEARCH_ENDPOINT", url)
    monkeypatch.setenv("OPENSEARCH_INDEX", INDEX)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    opensearch_module._clients.clear()
    mapping._ensured.clear()


@pytest.fixture
def double(monkeypatch: pytest.MonkeyPatch):
    fake = OpenSearchDouble()
    _environment(monkeypatch, fake.url)
    fake.on("HEAD", f"/{INDEX}", (200, None))
    fake.on("PUT", f"/{INDEX}/_mapping", (200, {"acknowledged": True}))
    fake.on(
        "GET",
        f"/_alias/{INDEX}-write",
        (200, {"messages-000001": {"aliases": {"messages-write": {}}}}),
    )
    fake.on("POST", "/_bulk", bulk_answer)
    yield fake
    fake.stop()


def run(records: list[dict[str, Any]]) -> dict[str, Any]:
    return indexer.handler({"Records": records}, None)


def failed_ids(response: dict[str, Any]) -> list[str]:
    return [failure["itemIdentifier"] for failure in response["batchItemFailures"]]


def test_a_batch_is_one_signed_bulk_request_with_external_versions(double):
    response = run(
        [
            stream_record("100", "INSERT", new=message("m1", "hello world")),
            stream_record("101", "MODIFY", new=message("m2", "second", replyTo="m1", version=4)),
        ]
    )

    assert response == {"batchItemFailures": []}
    (bulk,) = double.sent("POST", "/_bulk")
    assert [r.method for r in double.requests] == ["HEAD", "PUT", "GET", "POST"]
    target = {"_index": "messages-000001", "version_type": "external"}
    assert bulk.ndjson() == [
        {"index": {**target, "_id": "m1", "version": 1}},
        {
            "messageId": "m1",
            "roomId": "room-1",
            "authorId": "alice",
            "content": "hello world",
            "type": "TEXT",
            "createdAt": "2026-11-02T10:00:00.000Z",
            "seq": 1,
            "isEdited": False,
            "reactions": {},
            "version": 1,
        },
        {"index": {**target, "_id": "m2", "version": 4}},
        {
            "messageId": "m2",
            "roomId": "room-1",
            "authorId": "alice",
            "content": "second",
            "type": "TEXT",
            "createdAt": "2026-11-02T10:00:00.000Z",
            "replyTo": "m1",
            "seq": 1,
            "isEdited": False,
            "reactions": {},
            "version": 4,
        },
    ]
    assert bulk.body.endswith(b"\n")
    assert bulk.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/eu-west-1/es/aws4_request" in bulk.headers["authorization"]


def test_the_mapping_is_put_once_per_client(double):
    run([stream_record("100", "INSERT", new=message("m1"))])
    run([stream_record("101", "INSERT", new=message("m2"))])
    (put,) = double.sent("PUT", f"/{INDEX}/_mapping")
    assert put.json() == {"properties": PROPERTIES}
    assert len(double.sent("GET", f"/_alias/{INDEX}-write")) == 2  # read for every batch


def test_while_a_reindex_builds_a_new_index_every_write_goes_to_both(double):
    both = {"messages-000001": {"aliases": {}}, "messages-000002": {"aliases": {}}}
    double.on("GET", f"/_alias/{INDEX}-write", (200, both))

    run([stream_record("100", "INSERT", new=message("m1"))])

    lines = double.sent("POST", "/_bulk")[0].ndjson()
    assert [line["index"]["_index"] for line in lines[::2]] == [
        "messages-000001",
        "messages-000002",
    ]


def test_without_a_write_alias_writes_go_to_the_named_index(double):
    cause = {"type": "aliases_not_found_exception", "reason": "alias [messages-write] missing"}
    double.on("GET", f"/_alias/{INDEX}-write", (404, {"error": cause, "status": 404}))

    run([stream_record("100", "INSERT", new=message("m1"))])

    assert double.sent("POST", "/_bulk")[0].ndjson()[0]["index"]["_index"] == INDEX


def test_reactions_string_sets_become_sorted_lists(double):
    reacted = message("m1", reactions={"👍": {"carol", "bob"}}, version=2)
    run([stream_record("100", "MODIFY", new=reacted, old=message("m1"))])

    document = double.sent("POST", "/_bulk")[0].ndjson()[1]
    assert document["reactions"] == {"👍": ["bob", "carol"]}


def test_a_missing_index_is_created_with_the_mapping_and_both_aliases(double):
    double.on("HEAD", f"/{INDEX}", (404, None))
    double.on("PUT", f"/{INDEX}-000001", (200, {"acknowledged": True, "index": INDEX}))

    run([stream_record("100", "INSERT", new=message("m1"))])

    (create,) = double.sent("PUT", f"/{INDEX}-000001")
    assert create.json() == {
        "mappings": INDEX_BODY["mappings"],
        "aliases": {"messages": {}, "messages-write": {}},
    }
    assert create.json()["mappings"]["dynamic"] == "strict"


def test_an_index_created_meanwhile_by_another_invocation_is_fine(double):
    double.on("HEAD", f"/{INDEX}", (404, None))
    cause = {"type": "resource_already_exists_exception", "reason": "index exists"}
    double.on(
        "PUT", f"/{INDEX}-000001", (400, {"error": {"root_cause": [cause], **cause}, "status": 400})
    )

    response = run([stream_record("100", "INSERT", new=message("m1"))])

    assert response == {"batchItemFailures": []}
    assert len(double.sent("POST", "/_bulk")) == 1


def test_soft_deletes_and_removes_write_versioned_tombstones(double):
    deleted = message("m1", content=None, isDeleted=True, deletedBy="alice", version=3)
    response = run(
        [
            stream_record("100", "MODIFY", new=deleted, old=message("m1")),
            stream_record("101", "REMOVE", old=message("m2", version=5)),
            stream_record("102", "REMOVE", old=message("m3", version=None)),
        ]
    )

    assert response == {"batchItemFailures": []}
    lines = double.sent("POST", "/_bulk")[0].ndjson()
    assert [
        (a["index"]["_id"], a["index"]["version"], d)
        for a, d in zip(lines[::2], lines[1::2], strict=True)
    ] == [
        ("m1", 3, {"messageId": "m1", "isDeleted": True, "version": 3, "roomId": "room-1"}),
        ("m2", 6, {"messageId": "m2", "isDeleted": True, "version": 6, "roomId": "room-1"}),
        ("m3", 1, {"messageId": "m3", "isDeleted": True, "version": 1, "roomId": "room-1"}),
    ]


def test_a_version_conflict_is_success_and_other_item_failures_are_reported(double):
    double.on(
        "POST",
        "/_bulk",
        lambda r: bulk_answer(
            r,
            {
                "m1": (409, "version_conflict_engine_exception"),
                "m2": (400, "mapper_parsing_exception"),
                "m3": (429, "es_rejected_execution_exception"),
                "m4": (404, "index_not_found_exception"),
            },
        ),
    )

    response = run(
        [
            stream_record("100", "INSERT", new=message("m1")),
            stream_record("101", "INSERT", new=message("m2")),
            stream_record("102", "INSERT", new=message("m3")),
            stream_record("103", "INSERT", new=message("m4")),
            stream_record("104", "INSERT", new=message("m5")),
        ]
    )

    assert failed_ids(response) == ["101", "102", "103"]


def test_a_failed_bulk_request_fails_every_record(double):
    cause = {"type": "cluster_block_exception", "reason": "index read-only"}
    double.on("POST", "/_bulk", (503, {"error": {"root_cause": [cause], **cause}}))

    response = run(
        [
            stream_record("100", "INSERT", new=message("m1")),
            stream_record("101", "REMOVE", old=message("m2")),
        ]
    )

    assert failed_ids(response) == ["100", "101"]


def test_a_failure_to_create_the_index_fails_every_record(double):
    double.on("HEAD", f"/{INDEX}", (404, None))
    cause = {"type": "security_exception", "reason": "no permissions for [indices:admin/create]"}
    double.on("PUT", f"/{INDEX}-000001", (403, {"error": {"root_cause": [cause], **cause}}))

    response = run([stream_record("100", "INSERT", new=message("m1"))])

    assert failed_ids(response) == ["100"]
    assert double.sent("POST", "/_bulk") == []


def test_an_unreadable_record_fails_alone_and_the_rest_is_still_indexed(double):
    keys_only = stream_record("101", "INSERT", new=message("m2"))
    del keys_only["dynamodb"]["NewImage"]
    negative = stream_record("102", "INSERT", new=message("m3", version=-1))

    response = run([stream_record("100", "INSERT", new=message("m1")), keys_only, negative])

    assert failed_ids(response) == ["101", "102"]
    assert double.sent("POST", "/_bulk")[0].ndjson()[0]["index"]["_id"] == "m1"


def test_an_answer_with_the_wrong_number_of_items_fails_every_record(double):
    double.on("POST", "/_bulk", (200, {"took": 1, "errors": False, "items": []}))

    response = run([stream_record("100", "INSERT", new=message("m1"))])

    assert failed_ids(response) == ["100"]


# --- convergence, against the stand-in ------------------------------------------------


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch):
    with OpenSearchStandin() as running:
        _environment(monkeypatch, running.url)
        yield running


def life_of_a_message() -> list[dict[str, Any]]:
    """Every record one message's life leaves in the stream, in commit order."""
    sent = message("m1", "first words", version=1)
    edited = {**sent, "content": "second words", "isEdited": True, "version": 2}
    reacted = {**edited, "reactions": {"👍": {"bob"}}, "version": 3}
    pinned = {**reacted, "pinned": True, "pinnedAt": "2026-11-02T11:00:00Z", "version": 4}
    return [
        stream_record("100", "INSERT", new=sent),
        stream_record("101", "MODIFY", new=edited, old=sent),
        stream_record("102", "MODIFY", new=reacted, old=edited),
        stream_record("103", "MODIFY", new=pinned, old=reacted),
    ]


def deleted_at_the_end() -> list[dict[str, Any]]:
    records = life_of_a_message()
    final = {
        **message("m1", None, version=5),
        "isDeleted": True,
        "deletedBy": "alice",
    }
    records.append(stream_record("104", "MODIFY", new=final))
    return records


def stored(url: str) -> list[tuple[str, int, dict[str, Any]]]:
    hits = OpenSearch(hosts=[url]).search(index=INDEX, body={"version": True, "size": 100})
    return [(h["_id"], h["_version"], h["_source"]) for h in hits["hits"]["hits"]]


def searchable(url: str, text: str) -> list[str]:
    body = {
        "query": {
            "bool": {
                "must": [{"match": {"content": text}}],
                "must_not": [{"term": {"isDeleted": True}}],
            }
        }
    }
    return [
        h["_id"] for h in OpenSearch(hosts=[url]).search(index=INDEX, body=body)["hits"]["hits"]
    ]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))), ids=str)
def test_any_order_of_a_messages_records_converges_on_its_latest_state(standin, order):
    records = life_of_a_message()
    for position in order:
        assert run([records[position]]) == {"batchItemFailures": []}

    ((doc_id, version, source),) = stored(standin.url)
    assert (doc_id, version, source["content"], source["pinned"]) == ("m1", 4, "second words", True)
    assert searchable(standin.url, "first") == []


def test_replays_duplicates_and_shuffles_never_resurrect_a_deleted_message(standin):
    records = deleted_at_the_end()
    shuffler = random.Random(20261215)
    for _ in range(10):
        batch = records + shuffler.sample(records, k=3)
        shuffler.shuffle(batch)
        # Lambda batches come from one shard with unique sequence numbers; replays come
        # in batches of their own.
        for record in batch:
            assert run([record]) == {"batchItemFailures": []}
        ((doc_id, version, source),) = stored(standin.url)
        assert (doc_id, version, source.get("isDeleted")) == ("m1", 5, True)
        assert "content" not in source
        assert searchable(standin.url, "words") == []


def test_a_delete_indexed_before_its_insert_is_not_undone(standin):
    records = deleted_at_the_end()
    assert run([records[-1]]) == {"batchItemFailures": []}
    assert run(records[:-1]) == {"batchItemFailures": []}  # conflicts are successes
    assert stored(standin.url)[0][1] == 5
    assert searchable(standin.url, "words") == []


def test_a_new_index_in_the_write_alias_receives_every_later_write(standin):
    records = life_of_a_message()
    run(records[:1])
    client = OpenSearch(hosts=[standin.url])
    client.indices.create(index="messages-000002", body=mapping.index_body_with_aliases(None))
    client.indices.update_aliases(
        body={"actions": [{"add": {"index": "messages-000002", "alias": "messages-write"}}]}
    )

    run(records[1:])

    for name in ("messages-000001", "messages-000002"):
        (hit,) = client.search(index=name, body={"version": True})["hits"]["hits"]
        assert hit["_version"] == 4
