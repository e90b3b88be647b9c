"""One `_bulk` request for many index actions, and its answer mapped back per action.

Every action is an `index` with `version_type=external` into each target index (normally
one; two while a reindex builds a new index beside the live one). A `_bulk` call that
returns 200 can still have failed for some items (`errors: true`, an `error` or a status
>= 300 on the item), so success is decided per item, in order: OpenSearch answers items in
the order they were sent. A 409 `version_conflict_engine_exception` means the index already
holds this version or a newer one of the message, which is what the write wanted: success.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opensearchpy import OpenSearch

from functions.indexer.documents import IndexAction

VERSION_CONFLICT = "version_conflict_engine_exception"


class BulkItemFailed(RuntimeError):
    """OpenSearch refused one item of a `_bulk` request."""


def bulk_body(actions: Sequence[IndexAction], targets: Sequence[str]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for action in actions:
        for target in targets:
            lines.append(
                {
                    "index": {
                        "_index": target,
                        "_id": action.doc_id,
                        "version": action.version,
                        "version_type": "external",
                    }
                }
            )
            lines.append(action.document)
    return lines


def _item_failure(action: IndexAction, item: dict[str, Any]) -> BulkItemFailed | None:
    result = item.get("index")
    if not isinstance(result, dict):
        return BulkItemFailed(f"index {action.doc_id}: unexpected bulk item {item!r}")
    status = int(result.get("status", 0))
    error = result.get("error")
    kind = error.get("type") if isinstance(error, dict) else "error"
    if status == 409 and kind == VERSION_CONFLICT:
        return None
    if error is not None or status >= 300 or status == 0:
        reason = error.get("reason") if isinstance(error, dict) else error
        where = result.get("_index")
        return BulkItemFailed(f"index {action.doc_id} into {where}: {status} {kind}: {reason}")
    return None


def send_bulk(
    client: OpenSearch, targets: Sequence[str], actions: Sequence[IndexAction]
) -> list[Exception | None]:
    """Send `actions` to every index of `targets` in one request; per action, its failure.

    An action fails when its write into any target failed. A request that fails as a whole
    (transport error, non-2xx) fails every action.
    """
    if not actions:
        return []
    if not targets:
        raise ValueError("send_bulk needs at least one target index")
    try:
        response = client.bulk(body=bulk_body(actions, targets))
    except Exception as error:
        return [error] * len(actions)
    items = response.get("items")
    expected = len(actions) * len(targets)
    if not isinstance(items, list) or len(items) != expected:
        mismatch = BulkItemFailed(
            f"_bulk answered {len(items) if isinstance(items, list) else 'no'} items"
            f" for {expected} writes"
        )
        return [mismatch] * len(actions)
    failures: list[Exception | None] = []
    for position, action in enumerate(actions):
        chunk = items[position * len(targets) : (position + 1) * len(targets)]
        found = [f for f in (_item_failure(action, item) for item in chunk) if f is not None]
        failures.append(found[0] if found else None)
    return failures
