"""searchMessages arguments, validated before anything is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chatspec.rules import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX
from functions.common.errors import ValidationError
from functions.search.cursor import decode_token, search_fingerprint

MAX_QUERY_LENGTH = 256
DEFAULT_LIMIT = PAGE_LIMIT_DEFAULT
MAX_LIMIT = PAGE_LIMIT_MAX
"""The pagination convention of every list (docs/CONTRIBUTING.md); search used to stop at 50."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    room_id: str | None
    limit: int
    search_after: list[Any] | None

    @property
    def fingerprint(self) -> str:
        return search_fingerprint(self.query, self.room_id)


def parse_request(
    query: Any, room_id: Any = None, limit: Any = None, next_token: Any = None
) -> SearchRequest:
    if not isinstance(query, str):
        raise ValidationError("query must be a string")
    text = query.strip()
    if not 1 <= len(text) <= MAX_QUERY_LENGTH:
        raise ValidationError(
            f"query must be 1 to {MAX_QUERY_LENGTH} characters after trimming, got {len(text)}"
        )
    if room_id is not None and (not isinstance(room_id, str) or not room_id.strip()):
        raise ValidationError("roomId must be a non-empty string when given")
    if limit is None:
        limit = DEFAULT_LIMIT
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be 1 to {MAX_LIMIT}, got {limit}")
    fingerprint = search_fingerprint(text, room_id)
    after = None
    if next_token is not None:
        if not isinstance(next_token, str) or not next_token:
            raise ValidationError("nextToken is malformed")
        after = decode_token(next_token, fingerprint)
    return SearchRequest(text, room_id, limit, after)
