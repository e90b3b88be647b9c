"""The indexer Lambda against the recorded-request OpenSearch double.

Events have the shape Lambda receives from DynamoDB Streams (NEW_AND_OLD_IMAGES).
"""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from functions.common import opensearch as opensearch_module
from functions.indexer import handler as indexer
from functions.indexer import mapping
from functions.indexer.mapping import INDEX_BODY
from tests.support.opensearch_double import OpenSearchDouble, bulk_answer

INDEX = "messages"
STREAM_ARN = (
    "arn:aws:dynamodb:eu-west-1:123456789012:table/chat-dev-messages/stream/2026-11-01T00:00:00.000"
)
_serializer = TypeSerializer()


def _image(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in item.items()}


def message(message_id: str, content: str = "hello world", **extra: Any) -> dict[str, Any]:
    return {
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
        **extra,
    }


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


@pytest.fixture
def double(monkeypatch: pytest.MonkeyPatch):
    fake = OpenSearchDouble()
    monkeypatch.setenv("OPENSEARCH_ENDPOINT", fake.url)
    monkeypatch.setenv("OPENSEARCH_INDEX", INDEX)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    opensearch_module._clients.clear()
    mapping._ensured.clear()
    fake.on("HEAD", f"/{INDEX}", (200, None))
    fake.on("POST", f"/{INDEX}/_bulk", bulk_answer)
    yield fake
    fake.stop()


def run(records: list[dict[str, Any]]) -> dict[str, Any]:
    return indexer.handler({"Records": records}, None)


def failed_ids(response: dict[str, Any]) -> list[str]:
    return [failure["itemIdentifier"] for failure in response["batchItemFailures"]]


def test_a_batch_is_one_signed_bulk_request_keyed_by_message_id(double):
    response = run(
        [
            stream_record("100", "INSERT", new=message("m1", "hello world")),
            stream_record("101", "INSERT", new=message("m2", "second", replyTo="m1")),
        ]
    )

    assert response == {"batchItemFailures": []}
    (bulk,) = double.sent("POST", f"/{INDEX}/_bulk")
    assert len(double.requests) == 2  # HEAD index + one _bulk
    assert bulk.ndjson() == [
        {"index": {"_id": "m1"}},
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
        },
        {"index": {"_id": "m2"}},
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
        },
    ]
    assert bulk.body.endswith(b"\n")
    assert bulk.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/eu-west-1/es/aws4_request" in bulk.headers["authorization"]
    assert "x-amz-date" in bulk.headers


def test_reactions_string_sets_become_sorted_lists(double):
    reacted = message("m1", reactions={"👍": {"carol", "bob"}})
    run([stream_record("100", "MODIFY", new=reacted, old=message("m1"))])

    document = double.sent("POST", f"/{INDEX}/_bulk")[0].ndjson()[1]
    assert document["reactions"] == {"👍": ["bob", "carol"]}


def test_a_missing_index_is_created_with_the_explicit_mapping(double):
    double.on("HEAD", f"/{INDEX}", (404, None))
    double.on("PUT", f"/{INDEX}", (200, {"acknowledged": True, "index": INDEX}))

    run([stream_record("100", "INSERT", new=message("m1"))])

    (create,) = double.sent("PUT", f"/{INDEX}")
    assert create.json() == INDEX_BODY
    assert create.json()["mappings"]["dynamic"] == "strict"
    assert [r.method for r in double.requests] == ["HEAD", "PUT", "POST"]


def test_an_index_created_meanwhile_by_another_invocation_is_fine(double):
    double.on("HEAD", f"/{INDEX}", (404, None))
    cause = {"type": "resource_already_exists_exception", "reason": "index [messages] exists"}
    double.on("PUT", f"/{INDEX}", (400, {"error": {"root_cause": [cause], **cause}, "status": 400}))

    response = run([stream_record("100", "INSERT", new=message("m1"))])

    assert response == {"batchItemFailures": []}
    assert len(double.sent("POST", f"/{INDEX}/_bulk")) == 1


def test_soft_deletes_and_removes_delete_the_document(double):
    deleted = message("m1", content=None, isDeleted=True, deletedBy="alice")
    response = run(
        [
            stream_record("100", "MODIFY", new=deleted, old=message("m1")),
            stream_record("101", "REMOVE", old=message("m2")),
        ]
    )

    assert response == {"batchItemFailures": []}
    assert double.sent("POST", f"/{INDEX}/_bulk")[0].ndjson() == [
        {"delete": {"_id": "m1"}},
        {"delete": {"_id": "m2"}},
    ]


def test_a_delete_of_an_absent_document_succeeds(double):
    double.on("POST", f"/{INDEX}/_bulk", lambda r: bulk_answer(r, {"m2": (404, None)}))

    response = run([stream_record("101", "REMOVE", old=message("m2"))])

    assert response == {"batchItemFailures": []}


def test_an_edit_replaces_the_document_under_the_same_id(double):
    edited = message("m1", content="new words", isEdited=True, editedAt="2026-11-02T11:00:00Z")
    run([stream_record("100", "MODIFY", new=edited, old=message("m1", "old words"))])

    action, document = double.sent("POST", f"/{INDEX}/_bulk")[0].ndjson()
    assert action == {"index": {"_id": "m1"}}
    assert document["content"] == "new words"
    assert document["isEdited"] is True


def test_per_item_bulk_failures_are_reported_by_sequence_number(double):
    double.on(
        "POST",
        f"/{INDEX}/_bulk",
        lambda r: bulk_answer(
            r,
            {
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
        ]
    )

    assert failed_ids(response) == ["101", "102", "103"]


def test_a_failed_bulk_request_fails_every_record(double):
    cause = {"type": "cluster_block_exception", "reason": "index read-only"}
    double.on("POST", f"/{INDEX}/_bulk", (503, {"error": {"root_cause": [cause], **cause}}))

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
    double.on("PUT", f"/{INDEX}", (403, {"error": {"root_cause": [cause], **cause}}))

    response = run([stream_record("100", "INSERT", new=message("m1"))])

    assert failed_ids(response) == ["100"]
    assert double.sent("POST", f"/{INDEX}/_bulk") == []


def test_an_unreadable_record_fails_alone_and_the_rest_is_still_indexed(double):
    keys_only = stream_record("101", "INSERT", new=message("m2"))
    del keys_only["dynamodb"]["NewImage"]

    response = run([stream_record("100", "INSERT", new=message("m1")), keys_only])

    assert failed_ids(response) == ["101"]
    assert double.sent("POST", f"/{INDEX}/_bulk")[0].ndjson()[0] == {"index": {"_id": "m1"}}


def test_an_answer_with_the_wrong_number_of_items_fails_every_record(double):
    double.on("POST", f"/{INDEX}/_bulk", (200, {"took": 1, "errors": False, "items": []}))

    response = run([stream_record("100", "INSERT", new=message("m1"))])

    assert failed_ids(response) == ["100"]


def test_replaying_a_batch_sends_the_same_documents_under_the_same_ids(double):
    batch = [stream_record("100", "INSERT", new=message("m1"))]
    run(batch)
    run(batch)

    first, second = double.sent("POST", f"/{INDEX}/_bulk")
    assert first.body == second.body
