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


def test_tables_env_and_scan(monkeypatch):
    monkeypatch.delenv("ROOMS_TABLE", raising=False)
    with LocalApi(prefix="t") as api:
        assert os.environ["ROOMS_TABLE"] == "t-rooms" == api.table_names["rooms"]
        assert "OPENSEARCH_ENDPOINT" not in os.environ
        api.dynamodb.put_item(
            TableName=api.table_names["rooms"],
            Item={"roomId": {"S": "r"}, "memberCount": {"N": "2"}},
        )
        assert api.scan("rooms") == [{"roomId": "r", "memberCount": 2}]
    assert "ROOMS_TABLE" not in os.environ


def test_each_instance_starts_empty():
    with LocalApi() as first:
        first.dynamodb.put_item(TableName=first.table_names["rooms"], Item={"roomId": {"S": "r"}})
    with LocalApi() as second:
        assert second.scan("rooms") == []


def test_opensearch_endpoint_only_when_configured():
    with LocalApi(opensearch_endpoint="http://127.0.0.1:9200"):
        assert os.environ["OPENSEARCH_ENDPOINT"] == "http://127.0.0.1:9200"
