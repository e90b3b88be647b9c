"""DynamoDB's key and item size limits, enforced by the emulator's DynamoDB data source.

The numbers come from the registry (`chatspec.aws_limits`): 2,048 bytes per partition key,
1,024 per sort key, 409,600 bytes (400 KB) per item, sizes counted as "DynamoDB item sizes
and formats" documents (`item_size`). moto alone would not do: it refuses items over
405,000 bytes counted without the List/Map overheads, and never checks an UpdateItem that
grows a nested attribute (`ADD reactions.#emoji :me` appends to the set in place), so an
item could pass the emulator and fail AWS or the other way round.

What this module does, and why by hand: no library computes DynamoDB's item size, and
moto's check cannot be configured, so
- `emulator.moto_internals.install_moto_item_size()` makes moto's own per-item check count
  AWS's way against the registry's limit (every path into moto then agrees with AWS for
  whole-item writes);
- the data source calls `check_item` before a put, and `moto_internals.updated_item`
  (moto's own update expression machinery, run on a copy of the stored item, so nothing
  is written) before an update, and refuses with DynamoDB's ValidationException message;
- `KeySchemas.check_key` refuses over-long keys as DynamoDB does.
This module counts; the reaches into moto live in `emulator/moto_internals.py` with the
others (a moto upgrade that moves them fails `tests/emulator/test_dynamodb_limits.py`).
"""

from __future__ import annotations

import math
import re
import threading
from decimal import Decimal, InvalidOperation
from typing import Any

from chatspec.aws_limits import (
    DYNAMODB_ITEM_SIZE,
    DYNAMODB_PARTITION_KEY_SIZE,
    DYNAMODB_SORT_KEY_SIZE,
)

ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
# DynamoDB's own wording, without a space before the number (moto copies it the same way).
HASH_KEY_TOO_LARGE = (
    "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
    f"size limit of{DYNAMODB_PARTITION_KEY_SIZE.value} bytes"
)
RANGE_KEY_TOO_LARGE = (
    "One or more parameter values were invalid: Aggregated size of all range keys has "
    f"exceeded the size limit of {DYNAMODB_SORT_KEY_SIZE.value} bytes"
)
LIST_OR_MAP_OVERHEAD = 3
ELEMENT_OVERHEAD = 1
BOOL_OR_NULL_SIZE = 1


class SizeLimitError(ValueError):
    """A request DynamoDB refuses with ValidationException and this message."""


def number_size(text: str) -> int:
    """1 byte per two significant digits, plus 1 (leading and trailing zeros trimmed)."""
    try:
        digits = "".join(map(str, Decimal(str(text)).as_tuple().digits))
    except InvalidOperation:
        return len(str(text))
    significant = len(digits.strip("0")) or 1
    return -(-significant // 2) + 1


def _binary_length(value: Any) -> int:
    return len(value) if isinstance(value, bytes | bytearray) else len(str(value).encode())


def value_size(value: dict[str, Any]) -> int:
    """The size of one attribute value in DynamoDB's wire format (`{"S": "..."}`)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        return number_size(inner)
    if kind == "B":
        return _binary_length(inner)
    if kind in ("BOOL", "NULL"):
        return BOOL_OR_NULL_SIZE
    if kind == "SS":
        return sum(len(v.encode("utf-8")) for v in inner)
    if kind == "NS":
        return sum(number_size(v) for v in inner)
    if kind == "BS":
        return sum(_binary_length(v) for v in inner)
    if kind == "L":
        return LIST_OR_MAP_OVERHEAD + sum(ELEMENT_OVERHEAD + value_size(v) for v in inner)
    if kind == "M":
        return LIST_OR_MAP_OVERHEAD + sum(
            ELEMENT_OVERHEAD + len(k.encode("utf-8")) + value_size(v) for k, v in inner.items()
        )
    raise ValueError(f"unknown DynamoDB type {kind!r}")


def item_size(item: dict[str, dict[str, Any]]) -> int:
    """Attribute name UTF-8 lengths plus value sizes, as AWS documents it."""
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def check_item(item: dict[str, dict[str, Any]], message: str = ITEM_TOO_LARGE) -> None:
    if item_size(item) > DYNAMODB_ITEM_SIZE.value:
        raise SizeLimitError(message)


_UPDATE_TOKEN = re.compile(r"[:#]?[A-Za-z_][A-Za-z0-9_]*")
_UPDATE_WORDS = frozenset({"set", "remove", "add", "delete"})
_UPDATE_FUNCTIONS = frozenset({"if_not_exists", "list_append"})
_TOKEN_OVERHEAD = LIST_OR_MAP_OVERHEAD + ELEMENT_OVERHEAD + 1


def update_size_bound(
    stored_size: int, expression: str, names: dict[str, str], values: dict[str, Any]
) -> float:
    """A size the item cannot exceed after this UpdateItem, from the expression's text alone.

    Why: evaluating the update on a copy (`moto_internals.updated_item`) is exact but costs
    as much as the update itself, on every write; when this bound is within the limit the
    copy is not needed. Sound whatever order the actions run in: every `:value` adds at
    most its size, and every path (either side of `=`) at most the whole item as it stands
    plus its name, so each path doubles the bound after all values are added. Overheads
    (list, map, element, a number's carry digit) are counted for every token. A token that
    names no value or name gives `inf` (the exact check then decides).
    """
    bound = float(stored_size)
    paths: list[int] = []
    for token in _UPDATE_TOKEN.findall(expression):
        if token[0] == ":":
            if token not in values:
                return math.inf
            bound += value_size(values[token]) + _TOKEN_OVERHEAD
        elif token[0] == "#":
            if token not in names:
                return math.inf
            paths.append(len(names[token].encode("utf-8")))
        elif token.lower() not in _UPDATE_WORDS and token not in _UPDATE_FUNCTIONS:
            paths.append(len(token))
    for name_length in paths:
        bound = 2 * bound + name_length + _TOKEN_OVERHEAD
    return bound


def key_value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "B":
        return _binary_length(inner)
    return value_size(value)


class KeySchemas:
    """Each table's key attributes (base table and indexes), read once from moto's table
    (not with DescribeTable, which would count as a request of the resolver)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._schemas: dict[str, tuple[list[str], list[str]]] = {}
        self._lock = threading.Lock()

    def of(self, table: str) -> tuple[list[str], list[str]]:
        """(partition key attributes, sort key attributes), base table first."""
        with self._lock:
            if table not in self._schemas:
                from emulator import moto_internals

                self._schemas[table] = moto_internals.key_attributes(self._client, table)
            return self._schemas[table]

    def check_key(self, table: str, attributes: dict[str, dict[str, Any]]) -> None:
        """Every key attribute present in `attributes` (a key, or a whole item, whose index
        keys count too) within DynamoDB's key size limits."""
        hashes, ranges = self.of(table)
        for name in hashes:
            value = attributes.get(name)
            if value is not None and key_value_size(value) > DYNAMODB_PARTITION_KEY_SIZE.value:
                raise SizeLimitError(HASH_KEY_TOO_LARGE)
        for name in ranges:
            value = attributes.get(name)
            if value is not None and key_value_size(value) > DYNAMODB_SORT_KEY_SIZE.value:
                raise SizeLimitError(RANGE_KEY_TOO_LARGE)
