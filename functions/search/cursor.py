"""The opaque nextToken of searchMessages.

Pages follow OpenSearch's `search_after` on the sort (score, createdAt, messageId), which
stays correct however deep the client pages (from/size stops at 10,000 hits and shifts
when messages arrive). The token also carries a fingerprint of the search it belongs
to, so a token replayed with another query or room is refused instead of silently
skipping hits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any, TypeGuard

from functions.common.errors import ValidationError

_VERSION = 1


def search_fingerprint(query: str, room_id: str | None) -> str:
    return hashlib.sha256(json.dumps([query, room_id]).encode()).hexdigest()[:16]


def encode_token(fingerprint: str, after: list[Any]) -> str:
    payload = json.dumps({"v": _VERSION, "f": fingerprint, "a": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _valid_after(after: Any) -> TypeGuard[list[Any]]:
    if not isinstance(after, list) or len(after) != 3:
        return False
    score, created, message_id = after
    return (
        isinstance(score, int | float)
        and not isinstance(score, bool)
        and isinstance(created, int)
        and not isinstance(created, bool)
        and isinstance(message_id, str)
        and bool(message_id)
    )


def decode_token(token: str, fingerprint: str) -> list[Any]:
    """The `search_after` values of `token`; ValidationError unless ours and for this search."""
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise ValidationError("nextToken is malformed") from None
    if not isinstance(payload, dict) or payload.get("v") != _VERSION:
        raise ValidationError("nextToken is malformed")
    after = payload.get("a")
    if not isinstance(payload.get("f"), str) or not _valid_after(after):
        raise ValidationError("nextToken is malformed")
    if payload["f"] != fingerprint:
        raise ValidationError("nextToken belongs to a different search (query or roomId changed)")
    return after
