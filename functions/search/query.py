"""The OpenSearch request body for one page of searchMessages.

Sorted by relevance, then newest first, then messageId so that every hit has a unique
sort position (search_after needs one). One extra hit is asked for to know whether a
next page exists without the client ever fetching an empty page. Tombstones (deleted
messages, kept so that a late insert cannot bring them back) never match. Highlights use the
html encoder: the content is escaped and only our `<em>` tags are markup, so clients can
render fragments as HTML safely.
"""

from __future__ import annotations

from typing import Any

from functions.search.request import SearchRequest

SORT: list[dict[str, Any]] = [
    {"_score": {"order": "desc"}},
    {"createdAt": {"order": "desc"}},
    {"messageId": {"order": "desc"}},
]
HIGHLIGHT: dict[str, Any] = {
    "pre_tags": ["<em>"],
    "post_tags": ["</em>"],
    "encoder": "html",
    "fields": {"content": {"number_of_fragments": 3, "fragment_size": 150}},
}


def search_body(request: SearchRequest, room_ids: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "query": {
            "bool": {
                "must": [{"multi_match": {"query": request.query, "fields": ["content"]}}],
                "filter": [{"terms": {"roomId": room_ids}}],
                "must_not": [{"term": {"isDeleted": True}}],
            }
        },
        "sort": SORT,
        "size": request.limit + 1,
        "track_total_hits": True,
        "highlight": HIGHLIGHT,
    }
    if request.search_after is not None:
        body["search_after"] = request.search_after
    return body
