"""One `_bulk` request for many index actions, and its answer mapped back per action.

A `_bulk` call that returns 200 can still have failed for some items (`errors: true`,
an `error` or a status >= 300 on the item), so success is decided per item, in order:
OpenSearch answers items in the order the actions were sent. A delete answered 404
means the document is already gone, which is what the delete wanted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opensearchpy import OpenSearch

from functions.indexer.documents import IndexAction


class BulkItemFailed(RuntimeError):
    """OpenSearch refused one item of a `_bulk` request."""


def bulk_body(actions: Sequence[IndexAction]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for action in actions:
        lines.append({action.op: {"_id": action.doc_id}})
        if action.op == "index":
            lines.append(action.document or {})
    return lines


def _item_failure(action: IndexAction, item: dict[str, Any]) -> BulkItemFailed | None:
    result = item.get(action.op)
    if not isinstance(result, dict):
        return BulkItemFailed(f"{action.op} {action.doc_id}: unexpected bulk item {item!r}")
    status = int(result.get("status", 0))
    if action.op == "delete" and status == 404:
        return None
    if "error" in result or status >= 300 or status == 0:
        error = result.get("error")
        reason = error.get("reason") if isinstance(error, dict) else error
        kind = error.get("type") if isinstance(error, dict) else "error"
        return BulkItemFailed(f"{action.op} {action.doc_id}: {status} {kind}: {reason}")
    return None


def send_bulk(
    client: OpenSearch, index: str, actions: Sequence[IndexAction]
) -> list[Exception | None]:
    """Send `actions` in one request; return, per action, its failure or None.

    A request that fails as a whole (transport error, non-2xx) fails every action.
    """
    if not actions:
        return []
    try:
        response = client.bulk(body=bulk_body(actions), index=index)
    except Exception as error:
        return [error] * len(actions)
    items = response.get("items")
    if not isinstance(items, list) or len(items) != len(actions):
        mismatch = BulkItemFailed(
            f"_bulk answered {len(items) if isinstance(items, list) else 'no'} items"
            f" for {len(actions)} actions"
        )
        return [mismatch] * len(actions)
    return [_item_failure(action, item) for action, item in zip(actions, items, strict=True)]
