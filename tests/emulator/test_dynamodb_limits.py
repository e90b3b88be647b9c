"""DynamoDB's key and item size limits in the emulator's DynamoDB path, at the boundary.

Sizes follow "DynamoDB item sizes and formats" (attribute name UTF-8 lengths plus value
sizes, 3 bytes per List/Map, 1 byte per element); the limits are the registry's
(`chatspec.aws_limits`). Each limit is tried exactly at the limit (accepted) and one byte
over (refused with DynamoDB's ValidationException message, nothing written).
"""

from __future__ import annotations

import pytest

from chatspec.aws_limits import (
    DYNAMODB_ITEM_SIZE,
    DYNAMODB_PARTITION_KEY_SIZE,
    DYNAMODB_SORT_KEY_SIZE,
)
from emulator.datasources import DataSourceError, DynamoDbDataSource
from emulator.datasources.dynamodb_limits import (
    HASH_KEY_TOO_LARGE,
    ITEM_TOO_LARGE,
    RANGE_KEY_TOO_LARGE,
    UPDATE_TOO_LARGE,
    item_size,
    number_size,
)
from tests.emulator.conftest import EVENTS, ITEMS

V = "2018-05-29"
LIMIT = DYNAMODB_ITEM_SIZE.value


@pytest.mark.parametrize(
    ("item", "size"),
    [
        ({"a": {"S": "xyz"}}, 1 + 3),
        ({"é": {"S": "ü"}}, 2 + 2),
        ({"n": {"N": "123"}}, 1 + 2 + 1),
        ({"n": {"N": "1000.00"}}, 1 + 1 + 1),
        ({"b": {"BOOL": True}, "z": {"NULL": True}}, 2 + 2),
        ({"bin": {"B": b"\x00\x01\x02"}}, 3 + 3),
        ({"m": {"M": {}}}, 1 + 3),
        ({"m": {"M": {"k": {"S": "v"}}}}, 1 + 3 + (1 + 1 + 1)),
        ({"l": {"L": [{"S": "ab"}, {"N": "7"}]}}, 1 + 3 + (1 + 2) + (1 + 2)),
        ({"s": {"SS": ["ab", "cde"]}}, 1 + 5),
    ],
)
def test_item_size_counts_as_aws_documents(item, size):
    assert item_size(item) == size


def test_number_size_trims_zeros_and_counts_pairs_of_digits():
    assert number_size("0") == 2
    assert number_size("-00120") == 2
    assert number_size("12345") == 4
    assert number_size("9" * 38) == 20


@pytest.fixture
def items(dynamodb):
    return DynamoDbDataSource(dynamodb, ITEMS)


def put(source: DynamoDbDataSource, item_id: str, **attributes: dict) -> object:
    return source.invoke(
        {
            "version": V,
            "operation": "PutItem",
            "key": {"id": {"S": item_id}},
            "attributeValues": attributes,
        }
    )


def get(source: DynamoDbDataSource, item_id: str) -> dict | None:
    return source.invoke(
        {
            "version": V,
            "operation": "GetItem",
            "key": {"id": {"S": item_id}},
            "consistentRead": True,
        }
    )


def filler(item_id: str, total: int, name: str = "blob") -> dict:
    """An attribute that makes the item {"id": item_id, name: ...} exactly `total` bytes."""
    rest = total - item_size({"id": {"S": item_id}}) - len(name)
    return {name: {"S": "x" * rest}}


def refused(call, message: str) -> DataSourceError:
    with pytest.raises(DataSourceError) as caught:
        call()
    assert caught.value.error_type == "DynamoDB:ValidationException"
    assert message in caught.value.message
    return caught.value


def test_a_put_exactly_at_the_limit_is_stored_one_byte_more_is_refused(items):
    at_limit = filler("a", LIMIT)
    assert item_size({"id": {"S": "a"}, **at_limit}) == LIMIT
    put(items, "a", **at_limit)
    assert len(get(items, "a")["blob"]) == len(at_limit["blob"]["S"])

    refused(lambda: put(items, "b", **filler("b", LIMIT + 1)), ITEM_TOO_LARGE)
    assert get(items, "b") is None


def test_multi_byte_characters_count_as_utf8(items):
    rest = LIMIT - item_size({"id": {"S": "c"}}) - len("text")
    put(items, "c", text={"S": "€" * (rest // 3) + "x" * (rest % 3)})
    over = "€" * (rest // 3) + "x" * (rest % 3 + 1)
    refused(lambda: put(items, "d", text={"S": over}), ITEM_TOO_LARGE)


def update(source, item_id: str, expression: str, names: dict, values: dict) -> object:
    return source.invoke(
        {
            "version": V,
            "operation": "UpdateItem",
            "key": {"id": {"S": item_id}},
            "update": {
                "expression": expression,
                "expressionNames": names,
                "expressionValues": values,
            },
        }
    )


def test_an_update_may_grow_an_item_to_the_limit_but_not_past_it(items):
    put(items, "a", **filler("a", LIMIT - 10))
    grow = {"#t": "t"}
    refused(
        lambda: update(items, "a", "SET #t = :v", grow, {":v": {"S": "x" * 10}}), UPDATE_TOO_LARGE
    )
    assert "t" not in get(items, "a")
    update(items, "a", "SET #t = :v", grow, {":v": {"S": "x" * 9}})
    assert get(items, "a")["t"] == "x" * 9


def test_an_update_that_grows_a_nested_set_is_checked_too(items):
    """moto alone appends to a nested set in place without any size check."""
    base = {"id": {"S": "r"}, "reactions": {"M": {"e": {"SS": ["u0"]}}}}
    rest = LIMIT - item_size(base) - len("blob")
    put(items, "r", reactions=base["reactions"], blob={"S": "x" * (rest - 2)})
    add = {"#r": "reactions", "#e": "e"}
    update(items, "r", "ADD #r.#e :u", add, {":u": {"SS": ["u1"]}})
    refused(
        lambda: update(items, "r", "ADD #r.#e :u", add, {":u": {"SS": ["u2"]}}), UPDATE_TOO_LARGE
    )
    assert sorted(get(items, "r")["reactions"]["e"]) == ["u0", "u1"]


def test_a_transaction_whose_update_overflows_is_cancelled_with_a_validation_error(items):
    put(items, "a", **filler("a", LIMIT - 1))
    with pytest.raises(DataSourceError) as caught:
        items.invoke(
            {
                "version": V,
                "operation": "TransactWriteItems",
                "transactItems": [
                    {"table": ITEMS, "operation": "PutItem", "key": {"id": {"S": "other"}}},
                    {
                        "table": ITEMS,
                        "operation": "UpdateItem",
                        "key": {"id": {"S": "a"}},
                        "update": {
                            "expression": "SET #t = :v",
                            "expressionNames": {"#t": "t"},
                            "expressionValues": {":v": {"S": "xy"}},
                        },
                    },
                ],
            }
        )
    assert caught.value.error_type == "DynamoDB:TransactionCanceledException"
    reasons = caught.value.data["cancellationReasons"]
    assert [r["type"] for r in reasons] == ["None", "ValidationError"]
    assert reasons[1]["message"] == UPDATE_TOO_LARGE
    assert get(items, "other") is None


def test_partition_keys_up_to_2048_bytes(items):
    assert DYNAMODB_PARTITION_KEY_SIZE.value == 2048
    longest = "k" * DYNAMODB_PARTITION_KEY_SIZE.value
    put(items, longest)
    assert get(items, longest) == {"id": longest}
    refused(lambda: put(items, longest + "k"), HASH_KEY_TOO_LARGE)
    refused(lambda: get(items, longest + "k"), HASH_KEY_TOO_LARGE)


def test_sort_keys_and_index_keys_up_to_their_limits(dynamodb):
    events = DynamoDbDataSource(dynamodb, EVENTS)
    longest = "s" * DYNAMODB_SORT_KEY_SIZE.value

    def put_event(sk: str, kind: str = "k") -> object:
        return events.invoke(
            {
                "version": V,
                "operation": "PutItem",
                "key": {"pk": {"S": "p"}, "sk": {"S": sk}},
                "attributeValues": {"kind": {"S": kind}},
            }
        )

    put_event(longest)
    refused(lambda: put_event(longest + "s"), RANGE_KEY_TOO_LARGE)
    refused(
        lambda: put_event("s", kind="k" * (DYNAMODB_PARTITION_KEY_SIZE.value + 1)),
        HASH_KEY_TOO_LARGE,
    )


def test_moto_itself_now_counts_as_aws_does(dynamodb, items):
    """Direct boto3 calls (the Lambdas', the AWS CLI's) meet the same limit as the data source."""
    DynamoDbDataSource(dynamodb, ITEMS)
    at_limit = filler("a", LIMIT)
    dynamodb.put_item(TableName=ITEMS, Item={"id": {"S": "a"}, **at_limit})
    with pytest.raises(dynamodb.exceptions.ClientError, match=ITEM_TOO_LARGE):
        dynamodb.put_item(TableName=ITEMS, Item={"id": {"S": "b"}, **filler("b", LIMIT + 1)})


BOUND_CASES = [
    ("SET #t = :v", {"#t": "t"}, {":v": {"S": "x" * 50}}),
    (
        "SET #n = if_not_exists(#n, :zero) + :one",
        {"#n": "n"},
        {":zero": {"N": "0"}, ":one": {"N": "9"}},
    ),
    ("SET #n = #n + :one", {"#n": "n"}, {":one": {"N": "99999"}}),
    ("ADD #r.#e :u", {"#r": "reactions", "#e": "e"}, {":u": {"SS": ["u1", "u2"]}}),
    ("SET a = body, b = body, c = body", {}, {}),
    ("SET #l = list_append(#l, #l)", {"#l": "l"}, {}),
    (
        "SET #l = list_append(if_not_exists(#l, :e), :v)",
        {"#l": "l"},
        {":e": {"L": []}, ":v": {"L": [{"S": "yy"}]}},
    ),
    (
        "SET #m.#k = :v, #m.#k2 = #m.#k",
        {"#m": "m", "#k": "k", "#k2": "k2"},
        {":v": {"S": "z" * 30}},
    ),
    ("SET #l[9] = :v REMOVE body", {"#l": "l"}, {":v": {"N": "123456789"}}),
    ("set a = :v add n :v", {}, {":v": {"N": "5"}}),
]


@pytest.mark.parametrize(("expression", "names", "values"), BOUND_CASES)
def test_the_size_bound_of_an_update_is_never_below_the_size_it_gives(
    dynamodb, expression, names, values
):
    """The bound lets the data source skip evaluating an update twice; an update that
    grew past it could then pass unchecked."""
    from emulator import moto_internals
    from emulator.datasources.dynamodb_limits import update_size_bound

    DynamoDbDataSource(dynamodb, ITEMS)
    stored = {
        "id": {"S": "b"},
        "body": {"S": "x" * 200},
        "n": {"N": "7"},
        "l": {"L": [{"S": "a"}, {"N": "1"}]},
        "m": {"M": {"k": {"S": "v"}}},
        "reactions": {"M": {"e": {"SS": ["u0"]}}},
    }
    dynamodb.put_item(TableName=ITEMS, Item=stored)
    key = {"id": {"S": "b"}}
    size = moto_internals.stored_item_size(dynamodb, ITEMS, key)
    assert size == item_size(stored)
    bound = update_size_bound(size, expression, names, values)
    params = {"TableName": ITEMS, "Key": key, "UpdateExpression": expression}
    if names:
        params["ExpressionAttributeNames"] = names
    if values:
        params["ExpressionAttributeValues"] = values
    dynamodb.update_item(**params)
    after = dynamodb.get_item(TableName=ITEMS, Key=key, ConsistentRead=True)["Item"]
    assert item_size(after) <= bound < LIMIT


def test_an_unknown_placeholder_leaves_the_decision_to_the_exact_check():
    from emulator.datasources.dynamodb_limits import update_size_bound

    assert update_size_bound(10, "SET #a = :v", {}, {":v": {"S": "x"}}) == float("inf")
    assert update_size_bound(10, "SET a = :v", {}, {}) == float("inf")


def test_a_small_update_is_not_evaluated_twice_a_large_one_is(items, monkeypatch):
    from emulator import moto_internals

    evaluated = []
    real = moto_internals.updated_item
    monkeypatch.setattr(
        moto_internals, "updated_item", lambda *a: evaluated.append(a[3]) or real(*a)
    )
    put(items, "s", n={"N": "1"})
    update(items, "s", "SET #n = #n + :one", {"#n": "n"}, {":one": {"N": "1"}})
    assert get(items, "s")["n"] == 2 and evaluated == []
    put(items, "a", **filler("a", LIMIT // 2, name="body"))
    update(items, "a", "SET #t = body", {"#t": "t"}, {})
    assert evaluated == ["SET #t = body"]
    assert get(items, "a")["t"] == get(items, "a")["body"]
