"""The messages index: an explicit, strict mapping, created when missing.

Strict, so a document with an unexpected attribute fails loudly (and is reported as a
batch item failure) instead of silently growing the mapping. `content` is the only
analysed field; ids are keywords so that the search Lambda can filter on rooms and break
score ties on messageId; `reactions` is kept in `_source` only (its keys are emoji, and
indexing them would add a field per emoji).
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import RequestError

INDEX_BODY: dict[str, Any] = {
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "messageId": {"type": "keyword"},
            "roomId": {"type": "keyword"},
            "authorId": {"type": "keyword"},
            "content": {"type": "text"},
            "type": {"type": "keyword"},
            "createdAt": {"type": "date"},
            "replyTo": {"type": "keyword"},
            "clientMessageId": {"type": "keyword"},
            "seq": {"type": "long"},
            "isEdited": {"type": "boolean"},
            "editedAt": {"type": "date"},
            "pinned": {"type": "boolean"},
            "pinnedAt": {"type": "date"},
            "pinnedBy": {"type": "keyword"},
            "reactions": {"type": "object", "enabled": False},
        },
    }
}

_ensured: set[tuple[int, str]] = set()


def ensure_index(client: OpenSearch, index: str) -> None:
    """Create `index` with INDEX_BODY unless it exists; checked once per client."""
    key = (id(client), index)
    if key in _ensured:
        return
    if not client.indices.exists(index=index):
        try:
            client.indices.create(index=index, body=INDEX_BODY)
        except RequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
    _ensured.add(key)
