"""Each DynamoDB request document against moto: AppSync's result and error shapes."""

from __future__ import annotations

import pytest

from emulator.datasources import DataSourceError, DynamoDbDataSource
from tests.emulator.conftest import EVENTS, ITEMS

V = "2018-05-29"


def key(value: str) -> dict:
    return {"id": {"S": value}}


def ekey(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


@pytest.fixture
def items(dynamodb):
    return DynamoDbDataSource(dynamodb, ITEMS)


@pytest.fixture
def events(dynamodb):
    source = DynamoDbDataSource(dynamodb, EVENTS)
    for n in range(5):
        source.invoke(
            {
                "version": V,
                "operation": "PutItem",
                "key": ekey("room", f"m{n}"),
                "attributeValues": {"kind": {"S": "even" if n % 2 == 0 else "odd"}, "n": {"N": n}},
            }
        )
    return source


def put(source, item_id, **attributes):
    values = {k: ({"N": v} if isinstance(v, int) else {"S": v}) for k, v in attributes.items()}
    return source.invoke(
        {"version": V, "operation": "PutItem", "key": key(item_id), "attributeValues": values}
    )


def test_put_returns_plain_item_and_get_reads_it(items):
    assert put(items, "a", name="x", count=3) == {"id": "a", "name": "x", "count": 3}
    got = items.invoke(
        {"version": V, "operation": "GetItem", "key": key("a"), "consistentRead": True}
    )
    assert got == {"id": "a", "name": "x", "count": 3}
    assert isinstance(got["count"], int)


def test_get_with_projection_and_missing_item(items):
    put(items, "a", name="x", count=3)
    projected = items.invoke(
        {
            "version": V,
            "operation": "GetItem",
            "key": key("a"),
            "projection": {"expression": "#n", "expressionNames": {"#n": "name"}},
        }
    )
    assert projected == {"name": "x"}
    assert items.invoke({"version": V, "operation": "GetItem", "key": key("zz")}) is None


def test_put_condition_failure_carries_current_item(items):
    put(items, "a", name="x")
    with pytest.raises(DataSourceError) as raised:
        items.invoke(
            {
                "version": V,
                "operation": "PutItem",
                "key": key("a"),
                "attributeValues": {"name": {"S": "other"}},
                "condition": {"expression": "attribute_not_exists(id)"},
            }
        )
    assert raised.value.error_type == "DynamoDB:ConditionalCheckFailedException"
    assert raised.value.result == {"id": "a", "name": "x"}


def test_put_condition_failure_on_identical_item_succeeds(items):
    """AppSync: when the condition fails but the current item already equals the desired
    one, the write is treated as a success (idempotent retries)."""
    put(items, "a", name="x")
    again = items.invoke(
        {
            "version": V,
            "operation": "PutItem",
            "key": key("a"),
            "attributeValues": {"name": {"S": "x"}},
            "condition": {"expression": "attribute_not_exists(id)"},
        }
    )
    assert again == {"id": "a", "name": "x"}


def test_update_returns_all_new_and_delete_returns_old(items):
    put(items, "a", name="x", count=1)
    updated = items.invoke(
        {
            "version": V,
            "operation": "UpdateItem",
            "key": key("a"),
            "update": {
                "expression": "SET #c = #c + :one, tags = :t",
                "expressionNames": {"#c": "count"},
                "expressionValues": {":one": {"N": 1}, ":t": {"SS": ["p", "q"]}},
            },
            "condition": {"expression": "attribute_exists(id)"},
        }
    )
    assert updated["count"] == 2
    assert sorted(updated["tags"]) == ["p", "q"]
    deleted = items.invoke(
        {
            "version": V,
            "operation": "DeleteItem",
            "key": key("a"),
            "condition": {
                "expression": "#c = :c",
                "expressionNames": {"#c": "count"},
                "expressionValues": {":c": {"N": 2}},
            },
        }
    )
    assert deleted["id"] == "a" and deleted["count"] == 2
    assert items.invoke({"version": V, "operation": "GetItem", "key": key("a")}) is None


def test_delete_condition_failure(items):
    put(items, "a", name="x")
    with pytest.raises(DataSourceError) as raised:
        items.invoke(
            {
                "version": V,
                "operation": "DeleteItem",
                "key": key("a"),
                "condition": {"expression": "attribute_not_exists(id)"},
            }
        )
    assert raised.value.error_type == "DynamoDB:ConditionalCheckFailedException"
    assert raised.value.result == {"id": "a", "name": "x"}


def test_query_pages_newest_first_with_opaque_token(events):
    request = {
        "version": V,
        "operation": "Query",
        "query": {"expression": "pk = :pk", "expressionValues": {":pk": {"S": "room"}}},
        "scanIndexForward": False,
        "limit": 2,
    }
    first = events.invoke(request)
    assert [i["sk"] for i in first["items"]] == ["m4", "m3"]
    assert first["scannedCount"] == 2
    assert isinstance(first["nextToken"], str) and "m3" not in first["nextToken"]
    second = events.invoke({**request, "nextToken": first["nextToken"]})
    assert [i["sk"] for i in second["items"]] == ["m2", "m1"]
    third = events.invoke({**request, "nextToken": second["nextToken"]})
    assert [i["sk"] for i in third["items"]] == ["m0"]
    assert third["nextToken"] is None


def test_query_index_and_filter(events):
    out = events.invoke(
        {
            "version": V,
            "operation": "Query",
            "index": "byKind",
            "query": {"expression": "kind = :k", "expressionValues": {":k": {"S": "even"}}},
            "filter": {
                "expression": "#n > :min",
                "expressionNames": {"#n": "n"},
                "expressionValues": {":min": {"N": 0}},
            },
        }
    )
    assert [i["n"] for i in out["items"]] == [2, 4]
    assert out["scannedCount"] == 3


def test_malformed_next_token_is_a_validation_error(events):
    with pytest.raises(DataSourceError) as raised:
        events.invoke(
            {
                "version": V,
                "operation": "Query",
                "query": {"expression": "pk = :pk", "expressionValues": {":pk": {"S": "room"}}},
                "nextToken": "not-a-token",
            }
        )
    assert raised.value.error_type == "DynamoDB:ValidationException"
    assert "nextToken" in raised.value.message


def test_scan_with_segments(events):
    whole = events.invoke({"version": V, "operation": "Scan"})
    assert len(whole["items"]) == 5
    parts = [
        events.invoke({"version": V, "operation": "Scan", "segment": s, "totalSegments": 2})
        for s in (0, 1)
    ]
    assert sum(len(p["items"]) for p in parts) == 5


def test_batch_get_orders_results_and_nulls_missing(items):
    put(items, "a", name="A")
    put(items, "b", name="B")
    out = items.invoke(
        {
            "version": V,
            "operation": "BatchGetItem",
            "tables": {ITEMS: {"keys": [key("b"), key("zz"), key("a")], "consistentRead": True}},
        }
    )
    assert [i and i["name"] for i in out["data"][ITEMS]] == ["B", None, "A"]
    assert out["unprocessedKeys"] == {ITEMS: []}


def test_batch_put_and_delete(items):
    put_out = items.invoke(
        {
            "version": V,
            "operation": "BatchPutItem",
            "tables": {ITEMS: [{"id": {"S": "x"}, "v": {"N": 1}}, {"id": {"S": "y"}}]},
        }
    )
    assert put_out == {
        "data": {ITEMS: [{"id": "x", "v": 1}, {"id": "y"}]},
        "unprocessedItems": {ITEMS: []},
    }
    delete_out = items.invoke(
        {"version": V, "operation": "BatchDeleteItem", "tables": {ITEMS: [key("x")]}}
    )
    assert delete_out == {"data": {ITEMS: [{"id": "x"}]}, "unprocessedKeys": {ITEMS: []}}
    remaining = items.invoke({"version": V, "operation": "Scan"})["items"]
    assert remaining == [{"id": "y"}]


def test_transact_get(items):
    put(items, "a", name="A")
    out = items.invoke(
        {
            "version": V,
            "operation": "TransactGetItems",
            "transactItems": [{"table": ITEMS, "key": key("a")}, {"table": ITEMS, "key": key("z")}],
        }
    )
    assert out == {"items": [{"id": "a", "name": "A"}, None], "cancellationReasons": None}


def test_transact_write_success_returns_keys(items, dynamodb):
    put(items, "counter", count=0)
    put(items, "guard", name="g")
    out = items.invoke(
        {
            "version": V,
            "operation": "TransactWriteItems",
            "transactItems": [
                {
                    "table": ITEMS,
                    "operation": "PutItem",
                    "key": key("new"),
                    "attributeValues": {"name": {"S": "n"}},
                    "condition": {"expression": "attribute_not_exists(id)"},
                },
                {
                    "table": ITEMS,
                    "operation": "UpdateItem",
                    "key": key("counter"),
                    "update": {
                        "expression": "ADD #c :one",
                        "expressionNames": {"#c": "count"},
                        "expressionValues": {":one": {"N": 1}},
                    },
                },
                {
                    "table": ITEMS,
                    "operation": "ConditionCheck",
                    "key": key("guard"),
                    "condition": {"expression": "attribute_exists(id)"},
                },
            ],
        }
    )
    assert out == {
        "keys": [{"id": "new"}, {"id": "counter"}, {"id": "guard"}],
        "cancellationReasons": None,
    }
    assert items.invoke({"version": V, "operation": "GetItem", "key": key("counter")})["count"] == 1


def test_transact_write_cancelled_writes_nothing(items):
    put(items, "taken", name="t")
    with pytest.raises(DataSourceError) as raised:
        items.invoke(
            {
                "version": V,
                "operation": "TransactWriteItems",
                "transactItems": [
                    {
                        "table": ITEMS,
                        "operation": "PutItem",
                        "key": key("fresh"),
                        "attributeValues": {},
                    },
                    {
                        "table": ITEMS,
                        "operation": "PutItem",
                        "key": key("taken"),
                        "attributeValues": {},
                        "condition": {"expression": "attribute_not_exists(id)"},
                    },
                ],
            }
        )
    error = raised.value
    assert error.error_type == "DynamoDB:TransactionCanceledException"
    assert error.result["keys"] is None
    assert [r["type"] for r in error.result["cancellationReasons"]] == [
        "None",
        "ConditionalCheckFailed",
    ]
    assert items.invoke({"version": V, "operation": "GetItem", "key": key("fresh")}) is None


@pytest.mark.parametrize(
    ("request_document", "error_type", "fragment"),
    [
        ({"version": V, "operation": "Frobnicate"}, "MappingTemplate", "Unsupported operation"),
        (
            {"version": "1999-01-01", "operation": "GetItem", "key": key("a")},
            "MappingTemplate",
            "version",
        ),
        (
            {"version": V, "operation": "GetItem", "key": {"id": "plain"}},
            "DynamoDB:ValidationException",
            "typed",
        ),
        ({"version": V, "operation": "GetItem"}, "DynamoDB:ValidationException", "key"),
        ({"version": V, "operation": "Query"}, "DynamoDB:ValidationException", "query"),
        (
            {"version": V, "operation": "BatchGetItem", "tables": {}},
            "DynamoDB:ValidationException",
            "tables",
        ),
    ],
)
def test_bad_requests_say_what_is_wrong(items, request_document, error_type, fragment):
    with pytest.raises(DataSourceError) as raised:
        items.invoke(request_document)
    assert raised.value.error_type == error_type
    assert fragment in raised.value.message
