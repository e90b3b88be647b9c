"""The emulator's BatchInvoke, as AppSync documents it for a direct Lambda resolver with a
maxBatchSize: one invocation per batch whose event is the list of the fields' contexts, at
most maxBatchSize each, answered by a list in the same order; each result goes through the
response template on its own (a per-item error fails that field only); an answer that is
not one result per context fails every field of the batch."""

from __future__ import annotations

from typing import Any

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import DataSource, Resolver
from emulator.core import COGNITO, AppSyncEngine
from emulator.identity import cognito_identity

SCHEMA = """
type Query { items(count: Int!): [Item!]! }
type Item { id: ID! label: String }
"""
QUERY = "query($n: Int!) { items(count: $n) { id label } }"


class Recorder:
    def __init__(self, answer) -> None:
        self.events: list[Any] = []
        self.answer = answer

    def __call__(self, event: Any, _context: Any) -> Any:
        self.events.append(event)
        return self.answer(event)


def items_handler(event: dict, _context: Any) -> dict:
    return {"data": [{"id": str(i)} for i in range(event["arguments"]["count"])]}


def engine(labels: Recorder, batch_size: int = 100) -> AppSyncEngine:
    return AppSyncEngine(
        SCHEMA,
        None,
        {},
        {"items": items_handler, "labels": labels},
        resolvers=(
            Resolver(
                "Query", "items", "UNIT", data_source="Items", response=DIRECT_LAMBDA_RESPONSE
            ),
            Resolver(
                "Item",
                "label",
                "UNIT",
                data_source="Labels",
                response=DIRECT_LAMBDA_RESPONSE,
                max_batch_size=batch_size,
            ),
        ),
        functions=(),
        data_sources=(
            DataSource("Items", "AWS_LAMBDA", function="items"),
            DataSource("Labels", "AWS_LAMBDA", function="labels"),
        ),
    )


def run(api: AppSyncEngine, count: int) -> dict:
    return api.execute(QUERY, {"n": count}, None, cognito_identity("alice"), COGNITO)


def label_each(events: list[dict]) -> list[dict]:
    return [{"data": f"label {e['source']['id']}"} for e in events]


def test_one_invocation_gets_every_context_in_order():
    labels = Recorder(label_each)
    result = run(engine(labels), 50)
    assert "errors" not in result
    assert [i["label"] for i in result["data"]["items"]] == [f"label {n}" for n in range(50)]
    [batch] = labels.events
    assert isinstance(batch, list) and [e["source"]["id"] for e in batch] == [
        str(n) for n in range(50)
    ]
    first = batch[0]
    assert first["info"]["parentTypeName"] == "Item" and first["info"]["fieldName"] == "label"
    assert first["identity"]["sub"] and first["arguments"] == {}


def test_batches_hold_at_most_max_batch_size_contexts():
    labels = Recorder(label_each)
    result = run(engine(labels, batch_size=3), 7)
    assert "errors" not in result
    assert [len(batch) for batch in labels.events] == [3, 3, 1]


def test_a_per_item_error_fails_that_field_only():
    def answer(events):
        return [
            {"error": {"type": "NotFound", "message": "no label 2"}}
            if e["source"]["id"] == "2"
            else {"data": "ok"}
            for e in events
        ]

    result = run(engine(Recorder(answer)), 4)
    assert [i["label"] for i in result["data"]["items"]] == ["ok", "ok", None, "ok"]
    [error] = result["errors"]
    assert error["path"] == ["items", 2, "label"]
    assert (error["errorType"], error["message"]) == ("NotFound", "no label 2")


def test_an_answer_of_the_wrong_length_fails_every_field_of_the_batch():
    result = run(engine(Recorder(lambda events: [{"data": "only one"}])), 3)
    assert [i["label"] for i in result["data"]["items"]] == [None, None, None]
    assert len(result["errors"]) == 3
    assert all("must return a list of 3 results" in e["message"] for e in result["errors"])


def test_a_function_error_fails_every_field_of_the_batch():
    def answer(events):
        raise RuntimeError("boom")

    result = run(engine(Recorder(answer)), 2)
    assert [i["label"] for i in result["data"]["items"]] == [None, None]
    assert [e["path"] for e in result["errors"]] == [["items", 0, "label"], ["items", 1, "label"]]
    assert {e["errorType"] for e in result["errors"]} == {"RuntimeError"}


def test_a_request_without_batched_fields_needs_no_event_loop():
    labels = Recorder(label_each)
    result = engine(labels).execute(
        "{ __typename }", None, None, cognito_identity("alice"), COGNITO
    )
    assert result == {"data": {"__typename": "Query"}} and labels.events == []
