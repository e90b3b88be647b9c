"""The chatspec tables, created in any boto3 DynamoDB client (moto in the emulator)."""

from __future__ import annotations

from typing import Any

from chatspec import TABLES
from chatspec.model import Index, Table


def _key_schema(hash_key: Any, range_key: Any) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key.name, "KeyType": "HASH"}]
    if range_key is not None:
        schema.append({"AttributeName": range_key.name, "KeyType": "RANGE"})
    return schema


def _projection(index: Index) -> dict[str, Any]:
    projection: dict[str, Any] = {"ProjectionType": index.projection}
    if index.projection == "INCLUDE":
        projection["NonKeyAttributes"] = list(index.include)
    return projection


def create_table(client: Any, table: Table, prefix: str = "chat-local") -> str:
    name = table.deployed_name(prefix)
    params: dict[str, Any] = {
        "TableName": name,
        "KeySchema": _key_schema(table.hash_key, table.range_key),
        "AttributeDefinitions": [
            {"AttributeName": key.name, "AttributeType": key.type} for key in table.key_attributes()
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if table.indexes:
        params["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.hash_key, index.range_key),
                "Projection": _projection(index),
            }
            for index in table.indexes
        ]
    if table.stream:
        params["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": table.stream_view_type,
        }
    client.create_table(**params)
    if table.ttl_attribute:
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )
    return name


def create_tables(dynamodb_client: Any, prefix: str = "chat-local") -> dict[str, str]:
    """Create every chatspec table that does not exist yet; returns {logical: physical}.

    Existing tables are kept (the emulator's `--data-dir` restarts reuse them).
    """
    existing: set[str] = set()
    for page in dynamodb_client.get_paginator("list_tables").paginate():
        existing.update(page.get("TableNames", []))
    names: dict[str, str] = {}
    for table in TABLES:
        name = table.deployed_name(prefix)
        if name not in existing:
            create_table(dynamodb_client, table, prefix)
        names[table.name] = name
    return names
