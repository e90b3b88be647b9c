"""searchMessages: who may search which rooms, then one OpenSearch query.

Without roomId the search covers every room the caller is a non-banned member of. With
roomId the caller must be allowed to read that room: a non-banned member, or in the
Cognito group Admin or Moderator (who read every room, as getCallerMembership grants).
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from functions.common.errors import Unauthorized
from functions.common.identity import Caller
from functions.search.memberships import searchable_room_ids
from functions.search.query import search_body
from functions.search.request import SearchRequest
from functions.search.results import empty_result, search_result

READ_EVERY_ROOM_GROUPS = frozenset({"Admin", "Moderator"})


def rooms_to_search(caller: Caller, request: SearchRequest, member_rooms: list[str]) -> list[str]:
    if request.room_id is None:
        return member_rooms
    if request.room_id in member_rooms or caller.groups & READ_EVERY_ROOM_GROUPS:
        return [request.room_id]
    raise Unauthorized(f"not a member of room {request.room_id}")


def search_messages(
    caller: Caller,
    request: SearchRequest,
    *,
    dynamodb: Any,
    members_table: str,
    opensearch: OpenSearch,
    index: str,
) -> dict[str, Any]:
    member_rooms = searchable_room_ids(dynamodb, members_table, caller.sub)
    room_ids = rooms_to_search(caller, request, member_rooms)
    if not room_ids:
        return empty_result()
    try:
        response = opensearch.search(index=index, body=search_body(request, room_ids))
    except NotFoundError as error:
        if error.error == "index_not_found_exception":
            return empty_result()
        raise
    return search_result(request, response)
