"""`DirectDynamoDb` (the engine's client) answers every data-plane call exactly as a boto3
client of the same moto does: results, binary values, errors and their modeled fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from emulator import moto_internals
from tests.emulator.moto_mock import corrected_moto, create_pk_sk_table

REGION = "us-east-1"
TABLE = "t-direct"


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    with corrected_moto(monkeypatch):
        boto = boto3.client("dynamodb", region_name=REGION)
        create_pk_sk_table(boto, TABLE)
        yield boto, moto_internals.DirectDynamoDb(boto)


def _item(sk: str, **extra: Any) -> dict[str, Any]:
    return {"pk": {"S": "p"}, "sk": {"S": sk}, **extra}


def _without_metadata(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != "ResponseMetadata"}


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    response = _without_metadata(caught.value.response)
    return {"operation": caught.value.operation_name, **response}


CALLS = [
    ("get_item", {"TableName": TABLE, "Key": {"pk": {"S": "p"}, "sk": {"S": "a"}}}),
    ("get_item", {"TableName": TABLE, "Key": {"pk": {"S": "p"}, "sk": {"S": "none"}}}),
    (
        "query",
        {
            "TableName": TABLE,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "p"}},
            "Limit": 1,
        },
    ),
    ("scan", {"TableName": TABLE}),
    (
        "batch_get_item",
        {"RequestItems": {TABLE: {"Keys": [{"pk": {"S": "p"}, "sk": {"S": "a"}}]}}},
    ),
    (
        "transact_get_items",
        {"TransactItems": [{"Get": {"TableName": TABLE, "Key": _item("b")}}]},
    ),
    (
        "update_item",
        {
            "TableName": TABLE,
            "Key": _item("a"),
            "UpdateExpression": "SET n = if_not_exists(n, :zero) + :one",
            "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}},
            "ReturnValues": "ALL_NEW",
        },
    ),
]


def _seed(client: Any) -> None:
    client.put_item(TableName=TABLE, Item=_item("a", data={"B": b"\x00\xffbin"}))
    client.put_item(TableName=TABLE, Item=_item("b", set={"BS": [b"\x01", b"\x02"]}))


@pytest.mark.parametrize(("method", "params"), CALLS, ids=[c[0] for c in CALLS])
def test_results_are_the_same(clients: tuple[Any, Any], method: str, params: dict) -> None:
    boto, direct = clients
    _seed(boto)
    expected = _without_metadata(getattr(boto, method)(**params))
    _seed(boto)
    assert _without_metadata(getattr(direct, method)(**params)) == expected


def test_binary_values_round_trip_as_bytes(clients: tuple[Any, Any]) -> None:
    boto, direct = clients
    direct.put_item(TableName=TABLE, Item=_item("bin", data={"B": b"\x00\x01"}))
    stored = boto.get_item(TableName=TABLE, Key=_item("bin"))["Item"]["data"]
    assert stored == {"B": b"\x00\x01"}
    assert direct.get_item(TableName=TABLE, Key=_item("bin"))["Item"]["data"] == stored


def test_a_failed_condition_is_the_same_client_error(clients: tuple[Any, Any]) -> None:
    boto, direct = clients
    _seed(boto)
    params = {
        "TableName": TABLE,
        "Item": _item("a"),
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    expected = _error(lambda: boto.put_item(**params))
    assert expected["Error"]["Code"] == "ConditionalCheckFailedException"
    assert _error(lambda: direct.put_item(**params)) == expected
    with pytest.raises(boto.exceptions.ConditionalCheckFailedException):
        direct.put_item(**params)


def test_a_cancelled_transaction_carries_the_same_reasons(clients: tuple[Any, Any]) -> None:
    boto, direct = clients
    _seed(boto)
    params = {
        "TransactItems": [
            {"Put": {"TableName": TABLE, "Item": _item("c")}},
            {
                "ConditionCheck": {
                    "TableName": TABLE,
                    "Key": _item("a"),
                    "ConditionExpression": "attribute_not_exists(pk)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
    }
    expected = _error(lambda: boto.transact_write_items(**params))
    assert expected["Error"]["Code"] == "TransactionCanceledException"
    assert expected["CancellationReasons"][1]["Item"]["data"] == {"B": b"\x00\xffbin"}
    assert _error(lambda: direct.transact_write_items(**params)) == expected


def test_an_unknown_table_is_the_same_client_error(clients: tuple[Any, Any]) -> None:
    boto, direct = clients
    params = {"TableName": "absent", "Key": _item("a")}
    expected = _error(lambda: boto.get_item(**params))
    assert expected["Error"]["Code"] == "ResourceNotFoundException"
    assert _error(lambda: direct.get_item(**params)) == expected


def test_a_malformed_request_fails_validation_before_moto(clients: tuple[Any, Any]) -> None:
    boto, direct = clients
    params = {"TableName": TABLE, "Key": {"pk": {"S": 1}}}
    with pytest.raises(ParamValidationError) as from_boto:
        boto.get_item(**params)
    with pytest.raises(ParamValidationError) as from_direct:
        direct.get_item(**params)
    assert str(from_direct.value) == str(from_boto.value)


def test_other_calls_go_to_the_wrapped_client(clients: tuple[Any, Any]) -> None:
    _, direct = clients
    assert direct.describe_table(TableName=TABLE)["Table"]["TableName"] == TABLE
    assert direct.meta.region_name == REGION


def test_the_client_events_see_and_change_calls_as_with_botocore(clients: tuple[Any, Any]):
    boto, direct = clients
    _seed(boto)
    seen: list[tuple[str, str]] = []
    for event in ("before-parameter-build", "before-call"):
        boto.meta.events.register(
            f"{event}.dynamodb", lambda model, event=event, **_: seen.append((event, model.name))
        )

    def hide_data(parsed: dict, **_: Any) -> None:
        parsed.get("Item", {}).pop("data", None)

    boto.meta.events.register("after-call.dynamodb.GetItem", hide_data)
    item = direct.get_item(TableName=TABLE, Key=_item("a"))["Item"]

    assert "data" not in item and item["sk"] == {"S": "a"}
    assert seen == [("before-parameter-build", "GetItem"), ("before-call", "GetItem")]
