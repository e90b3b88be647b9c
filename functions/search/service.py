"""searchMessages: which rooms, then one OpenSearch query.

With roomId, the pipeline's access decision says whether the caller may read that room
(`access.may.read`: a ban there wins over every Cognito group); nothing is decided here.
Without roomId the search covers every room the caller is a non-banned member of: their
own memberships, which Cognito groups do not widen.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from functions.common.access import Access
from functions.common.errors import Unauthorized
from functions.common.identity import Caller
from functions.search.memberships import searchable_room_ids
from functions.search.query import search_body
from functions.search.request import SearchRequest
from functions.search.results import empty_result, search_result


def room_to_search(request: SearchRequest, access: Access | None) -> list[str]:
    """The one room of a search with roomId, if the access decision lets the caller read it."""
    if access is None:
        raise Unauthorized("a search in one room runs only after the access decision")
    access.require("read")
    return [str(request.room_id)]


def search_messages(
    caller: Caller,
    request: SearchRequest,
    *,
    access: Access | None,
    dynamodb: Any,
    members_table: str,
    opensearch: OpenSearch,
    index: str,
) -> dict[str, Any]:
    if request.room_id is not None:
        room_ids = room_to_search(request, access)
    else:
        room_ids = searchable_room_ids(dynamodb, members_table, caller.sub)
    if not room_ids:
        return empty_result()
    try:
        response = opensearch.search(index=index, body=search_body(request, room_ids))
    except NotFoundError as error:
        if error.error == "index_not_found_exception":
            return empty_result()
        raise
    return search_result(request, response)
