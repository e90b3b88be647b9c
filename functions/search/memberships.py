"""The rooms a caller may search: their memberships, banned ones excluded.

The table's env var and index name are spelled out (not read from chatspec) because the
deployed package holds only `functions/`; a test keeps them in step with chatspec.
"""

from __future__ import annotations

import os
from typing import Any

import boto3

ROOM_MEMBERS_ENV = "ROOM_MEMBERS_TABLE"
BY_USER_INDEX = "byUser"


def members_table_name() -> str:
    name = os.environ.get(ROOM_MEMBERS_ENV, "").strip()
    if not name:
        raise RuntimeError(f"{ROOM_MEMBERS_ENV} is not set")
    return name


def searchable_room_ids(dynamodb: Any, table_name: str, user_id: str) -> list[str]:
    """Every room `user_id` is a non-banned member of, sorted (one GSI query, paged)."""
    pages = dynamodb.get_paginator("query").paginate(
        TableName=table_name,
        IndexName=BY_USER_INDEX,
        KeyConditionExpression="userId = :user",
        ExpressionAttributeValues={":user": {"S": user_id}},
        ProjectionExpression="roomId, isBanned",
    )
    rooms = {
        item["roomId"]["S"]
        for page in pages
        for item in page.get("Items", [])
        if not item.get("isBanned", {}).get("BOOL", False)
    }
    return sorted(rooms)


def dynamodb_client() -> Any:
    return boto3.client("dynamodb")
