"""The messages index: an explicit, strict mapping, behind two aliases.

Strict, so a document with an unexpected attribute fails loudly (and is reported as a
batch item failure) instead of silently growing the mapping. `content` is the only
analysed field; ids are keywords so that the search Lambda can filter on rooms and break
score ties on messageId; `reactions` is kept in `_source` only (its keys are emoji, and
indexing them would add a field per emoji); `isDeleted` marks tombstones.

The Lambdas address aliases, never an index: search reads the read alias (OPENSEARCH_INDEX,
`messages`), the indexer writes to every index of the write alias (`messages-write`). Both
normally name one index; a reindex into a new index adds it to the write alias while it is
built, then moves the read alias in one atomic `_aliases` call, so search never stops.
When nothing exists yet, the first index is created with both aliases. A deployment from
before the aliases has a concrete index named like the read alias: writes then go to it
(there is no write alias), its mapping gets the new fields, and `searchops.reindex
--new-index` replaces it with an aliased index.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError, RequestError

PROPERTIES: dict[str, Any] = {
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
    "isDeleted": {"type": "boolean"},
    "version": {"type": "long"},
    "anonymous": {"type": "boolean"},
    "mentions": {"type": "keyword"},
}
INDEX_BODY: dict[str, Any] = {"mappings": {"dynamic": "strict", "properties": PROPERTIES}}
FIRST_INDEX_SUFFIX = "000001"

_ensured: set[tuple[int, str]] = set()


def write_alias(read_alias: str) -> str:
    return f"{read_alias}-write"


def first_index_name(read_alias: str) -> str:
    return f"{read_alias}-{FIRST_INDEX_SUFFIX}"


def index_body_with_aliases(read_alias: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"mappings": INDEX_BODY["mappings"]}
    if read_alias is not None:
        body["aliases"] = {read_alias: {}, write_alias(read_alias): {}}
    return body


def ensure_index(client: OpenSearch, read_alias: str) -> None:
    """Make `read_alias` exist with the current mapping; checked once per client.

    Missing: the first index is created with both aliases. Present: the mapping's fields
    are put on it (adding fields is allowed; an index from before tombstones gains them).
    """
    key = (id(client), read_alias)
    if key in _ensured:
        return
    if client.indices.exists(index=read_alias):
        client.indices.put_mapping(index=read_alias, body={"properties": PROPERTIES})
    else:
        try:
            client.indices.create(
                index=first_index_name(read_alias), body=index_body_with_aliases(read_alias)
            )
        except RequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
    _ensured.add(key)


def write_targets(client: OpenSearch, read_alias: str) -> list[str]:
    """The indices a write goes to: the write alias's, or the read name when there is none.

    Read for every batch (one small request): a reindex adds its new index to the write
    alias and then relies on every later batch writing there too.
    """
    try:
        answer = client.indices.get_alias(name=write_alias(read_alias))
    except NotFoundError:
        return [read_alias]
    return sorted(answer) or [read_alias]
