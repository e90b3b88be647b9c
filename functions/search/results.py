"""OpenSearch hits as the GraphQL SearchResult.

Indexed documents are the messages table's items (deleted messages are tombstones, which
the query excludes), so
a hit's `_source` is shaped into a Message with the same defaults the table's resolvers
give; `reactions` stays the stored map, which the Message.reactions field resolver turns
into the list the schema declares.
"""

from __future__ import annotations

from typing import Any

from functions.search.cursor import encode_token
from functions.search.request import SearchRequest


def message_from_source(source: dict[str, Any]) -> dict[str, Any]:
    return {
        "roomId": source["roomId"],
        "messageId": source["messageId"],
        "authorId": source["authorId"],
        "content": source.get("content"),
        "type": source.get("type") or "TEXT",
        "createdAt": source["createdAt"],
        "replyTo": source.get("replyTo"),
        "clientMessageId": source.get("clientMessageId"),
        "seq": source.get("seq"),
        "isEdited": bool(source.get("isEdited", False)),
        "editedAt": source.get("editedAt"),
        "isDeleted": False,
        "deletedAt": None,
        "deletedBy": None,
        "reactions": source.get("reactions") or {},
        "pinned": bool(source.get("pinned", False)),
        "pinnedAt": source.get("pinnedAt"),
        "pinnedBy": source.get("pinnedBy"),
        "version": source.get("version"),
        "anonymous": bool(source.get("anonymous", False)),
        "mentions": source.get("mentions"),
    }


def empty_result() -> dict[str, Any]:
    return {"items": [], "total": 0, "nextToken": None}


def search_result(request: SearchRequest, response: dict[str, Any]) -> dict[str, Any]:
    hits_section = response.get("hits") or {}
    hits = hits_section.get("hits") or []
    page = hits[: request.limit]
    items = [
        {
            "message": message_from_source(hit["_source"]),
            "score": hit.get("_score"),
            "highlights": (hit.get("highlight") or {}).get("content", []),
        }
        for hit in page
    ]
    total = hits_section.get("total") or {}
    next_token = None
    if len(hits) > request.limit and page:
        next_token = encode_token(request.fingerprint, page[-1]["sort"])
    return {
        "items": items,
        "total": int(total.get("value", 0)) if isinstance(total, dict) else int(total),
        "nextToken": next_token,
    }
