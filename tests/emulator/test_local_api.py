"""LocalApi: the in-process harness every API test uses."""

from __future__ import annotations

import os

from emulator.testing import LocalApi


def test_signed_out_call_is_refused_like_appsync():
    with LocalApi() as api:
        out = api.call("{ listPublicRooms { nextToken } }", user=None)
    assert out["errors"][0]["errorType"] == "UnauthorizedException"
    assert "data" not in out


def test_identities_are_deterministic_and_carry_groups():
    with LocalApi() as api:
        assert api.sub_of("alice") == api.sub_of("alice") != api.sub_of("bob")
        identity = api.identity("carol", ["Admin"])
    assert identity["sub"] == api.sub_of("carol")
    assert identity["username"] == "carol"
    assert identity["groups"] == ["Admin"]
    assert identity["claims"]["cognito:groups"] == ["Admin"]
    assert identity["claims"]["sub"] == identity["sub"]


def test_tables_scan_and_the_process_environment_is_left_alone(monkeypatch):
    monkeypatch.delenv("ROOMS_TABLE", raising=False)
    with LocalApi(prefix="t") as api:
        assert api.table_names["rooms"] == "t-rooms"
        assert "ROOMS_TABLE" not in os.environ
        api.dynamodb.put_item(
            TableName=api.table_names["rooms"],
            Item={"roomId": {"S": "r"}, "memberCount": {"N": "2"}},
        )
        assert api.scan("rooms") == [{"roomId": "r", "memberCount": 2}]
        environment = dict(api.functions["rooms"].config.environment)
    assert environment["ROOMS_TABLE"] == "t-rooms"
    assert "ROOMS_TABLE" not in os.environ


def test_two_apis_in_one_process_reach_their_own_tables_through_the_lambdas():
    """Each API's rooms Lambda has that API's table names: they never share a worker."""
    create = 'mutation { createRoom(input: {name: "mine", type: GROUP}) { roomId } }'
    mine = "query { myRooms { items { room { name } } } }"
    with LocalApi(prefix="one") as one, LocalApi(prefix="two") as two:
        assert one.functions["rooms"] is not two.functions["rooms"]
        assert one.call(create).get("errors") is None
        rooms_one = one.call(mine)["data"]["myRooms"]["items"]
        rooms_two = two.call(mine)["data"]["myRooms"]["items"]
    assert [r["room"]["name"] for r in rooms_one] == ["mine"]
    assert rooms_two == []


def test_each_instance_starts_empty():
    with LocalApi() as first:
        first.dynamodb.put_item(TableName=first.table_names["rooms"], Item={"roomId": {"S": "r"}})
    with LocalApi() as second:
        assert second.scan("rooms") == []


def test_search_lambdas_only_when_an_endpoint_is_configured():
    with LocalApi() as plain:
        assert "search" not in plain.functions and "indexer" not in plain.functions
    with LocalApi(opensearch_endpoint="http://127.0.0.1:9200") as api:
        environment = dict(api.functions["search"].config.environment)
    assert environment["OPENSEARCH_ENDPOINT"] == "http://127.0.0.1:9200"
    assert environment["OPENSEARCH_INDEX"] == "messages"
    assert "OPENSEARCH_ENDPOINT" not in os.environ
