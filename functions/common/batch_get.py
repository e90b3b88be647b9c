"""BatchGetItem with DynamoDB's UnprocessedKeys retried a bounded number of times.

A throttled BatchGetItem succeeds with some keys left unprocessed; returning without them
would show a profile as missing, so they are asked again (with backoff) and a batch that
still fails after that raises: a fault, not a user's mistake.
"""

from __future__ import annotations

import time
from typing import Any

from chatspec.aws_limits import DYNAMODB_BATCH_GET_ITEMS

UNPROCESSED_RETRIES = 3
MAX_KEYS = DYNAMODB_BATCH_GET_ITEMS.value


def batch_get(
    dynamodb: Any, table_name: str, keys: list[dict[str, Any]], projection: str | None = None
) -> list[dict[str, Any]]:
    """Every item of `keys` that exists (at most `MAX_KEYS` keys: one request)."""
    return batch_get_tables(dynamodb, {table_name: (keys, projection)}).get(table_name, [])


def batch_get_tables(
    dynamodb: Any, wanted: dict[str, tuple[list[dict[str, Any]], str | None]]
) -> dict[str, list[dict[str, Any]]]:
    """One BatchGetItem over several tables (`table: (keys, projection)`), at most
    `MAX_KEYS` keys in all: the items found, by table."""
    requests: dict[str, Any] = {}
    for table_name, (keys, projection) in wanted.items():
        if keys:
            requests[table_name] = {"Keys": keys}
            if projection:
                requests[table_name]["ProjectionExpression"] = projection
    total = sum(len(r["Keys"]) for r in requests.values())
    if total > MAX_KEYS:
        raise ValueError(f"one BatchGetItem takes at most {MAX_KEYS} keys, got {total}")
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    pending = requests
    for attempt in range(UNPROCESSED_RETRIES + 1):
        if not pending:
            return found
        response = dynamodb.batch_get_item(RequestItems=pending)
        for table_name, items in response.get("Responses", {}).items():
            found[table_name].extend(items)
        pending = response.get("UnprocessedKeys") or {}
        if pending and attempt < UNPROCESSED_RETRIES:
            time.sleep(0.05 * 2**attempt)
    if not pending:
        return found
    left = sum(len(r["Keys"]) for r in pending.values())
    raise RuntimeError(f"DynamoDB left {left} keys unprocessed")
