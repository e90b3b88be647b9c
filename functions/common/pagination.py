"""Page size and opaque nextToken handling for Lambda resolvers.

DynamoDB hands back `LastEvaluatedKey` as a map of key attributes. Clients must treat the
token as opaque, so it travels as URL-safe base64 of that map's JSON. Decoding checks the
token names exactly the expected key attributes and that the ones fixed by the query
(e.g. the caller's own `userId`) are unchanged, so a forged token cannot start a page in
someone else's partition and a malformed one is a ValidationError rather than a
DynamoDB error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from chatspec.rules import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX
from functions.common.errors import ValidationError

DEFAULT_LIMIT = PAGE_LIMIT_DEFAULT
MAX_LIMIT = PAGE_LIMIT_MAX

KeyValue = str | int


def page_limit(value: Any) -> int:
    """The requested page size, defaulting to 20; anything outside 1..100 is refused."""
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"limit must be an integer from 1 to {MAX_LIMIT}, got {value!r}")
    if not 1 <= value <= MAX_LIMIT:
        raise ValidationError(f"limit must be 1 to {MAX_LIMIT}, got {value}")
    return value


def _plain(value: Any) -> KeyValue:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    raise TypeError(f"key attribute of unsupported type {type(value).__name__}")


def encode_token(last_evaluated_key: Mapping[str, Any] | None) -> str | None:
    """The nextToken for a page, or None when DynamoDB says there is nothing more."""
    if not last_evaluated_key:
        return None
    plain = {name: _plain(value) for name, value in sorted(last_evaluated_key.items())}
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(
    token: str | None,
    key_names: frozenset[str] | set[str],
    fixed: Mapping[str, KeyValue] | None = None,
) -> dict[str, KeyValue] | None:
    """The ExclusiveStartKey a nextToken stands for; None for no token."""
    if token is None:
        return None
    if not isinstance(token, str) or not token:
        raise ValidationError("nextToken is malformed: expected a token from a previous page")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise ValidationError("nextToken is malformed: not a token from a previous page") from error
    if not isinstance(key, dict) or set(key) != set(key_names):
        raise ValidationError("nextToken is malformed: it does not belong to this query")
    for name, value in key.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError(f"nextToken is malformed: bad value for {name}")
    for name, value in (fixed or {}).items():
        if key.get(name) != value:
            raise ValidationError("nextToken is malformed: it does not belong to this query")
    return key
