"""Between AppSync's typed JSON and boto3's wire values, and back to plain JSON.

AppSync templates write numbers as JSON numbers (`{"N": 5}`), `{"NULL": null}` and
binaries as base64 strings; boto3's client wants strings, `True` and bytes.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from emulator.datasources.base import DataSourceError

_TYPES = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})


def _number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise DataSourceError(f"invalid number {value!r}", "DynamoDB:ValidationException")
    return str(value)


def _binary(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except (ValueError, TypeError) as exc:
        raise DataSourceError(
            f"invalid base64 binary value {value!r}", "DynamoDB:ValidationException"
        ) from exc


def to_wire(value: Any) -> dict[str, Any]:
    """One typed attribute value, as the boto3 client sends it."""
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in _TYPES:
        raise DataSourceError(
            f"Supplied AttributeValue is not a typed DynamoDB value: {value!r}",
            "DynamoDB:ValidationException",
        )
    ((kind, inner),) = value.items()
    if kind == "N":
        return {"N": _number_text(inner)}
    if kind == "NS":
        return {"NS": [_number_text(v) for v in inner]}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "B":
        return {"B": _binary(inner)}
    if kind == "BS":
        return {"BS": [_binary(v) for v in inner]}
    if kind == "M":
        return {"M": wire_map(inner)}
    if kind == "L":
        return {"L": [to_wire(v) for v in inner]}
    return {kind: inner}


def wire_map(values: Any) -> dict[str, Any]:
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise DataSourceError(
            f"expected a map of typed values, got {values!r}", "DynamoDB:ValidationException"
        )
    return {str(k): to_wire(v) for k, v in values.items()}


def _number(text: str) -> int | float:
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else float(number)


def to_plain(value: dict[str, Any]) -> Any:
    """A typed value from DynamoDB as the plain JSON AppSync hands to templates."""
    ((kind, inner),) = value.items()
    if kind == "N":
        return _number(inner)
    if kind == "NS":
        return [_number(v) for v in inner]
    if kind == "NULL":
        return None
    if kind in ("B",):
        return base64.b64encode(inner).decode("ascii")
    if kind == "BS":
        return [base64.b64encode(v).decode("ascii") for v in inner]
    if kind == "M":
        return plain_item(inner)
    if kind == "L":
        return [to_plain(v) for v in inner]
    if kind == "SS":
        return list(inner)
    return inner


def plain_item(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {k: to_plain(v) for k, v in item.items()}
