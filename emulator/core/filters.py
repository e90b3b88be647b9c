"""AppSync enhanced subscription filters evaluated against a payload.

`{"filterGroup": [{"filters": [{"fieldName", "operator", "value"}]}]}`: groups are OR'd,
filters within a group AND'd; `fieldName` may name a nested field with dots.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

_MISSING = object()


def _lookup(payload: Any, path: str) -> Any:
    current = payload
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _comparable(a: Any, b: Any) -> bool:
    return (_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str))


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(expected, str) and expected in actual
    if isinstance(actual, list):
        return expected in actual
    return False


def check(operator: str, actual: Any, expected: Any) -> bool:
    present = actual is not _MISSING
    value = actual if present else None
    if operator == "eq":
        return present and value == expected
    if operator == "ne":
        return value != expected
    if operator in ("le", "lt", "ge", "gt"):
        if not (present and _comparable(value, expected)):
            return False
        return {
            "le": value <= expected,
            "lt": value < expected,
            "ge": value >= expected,
            "gt": value > expected,
        }[operator]
    if operator == "contains":
        return present and _contains(value, expected)
    if operator == "notContains":
        return not (present and _contains(value, expected))
    if operator == "beginsWith":
        return isinstance(value, str) and isinstance(expected, str) and value.startswith(expected)
    if operator == "in":
        return present and isinstance(expected, list) and value in expected
    if operator == "notIn":
        return not (present and isinstance(expected, list) and value in expected)
    if operator == "between":
        return (
            present
            and isinstance(expected, list)
            and len(expected) == 2
            and _comparable(value, expected[0])
            and _comparable(value, expected[1])
            and expected[0] <= value <= expected[1]
        )
    if operator == "attributeExists":
        exists = present and value is not None
        return exists if expected else not exists
    if operator == "containsAny":
        if not (present and isinstance(expected, list)):
            return False
        if isinstance(value, list):
            return any(item in value for item in expected)
        if isinstance(value, str):
            return any(isinstance(item, str) and item in value for item in expected)
        return value in expected
    raise ValueError(f"unknown subscription filter operator {operator!r}")


def matches(filter_document: dict[str, Any] | None, payload: Any) -> bool:
    """True when no filter is set, or when some group's filters all hold."""
    if not filter_document:
        return True
    groups = filter_document.get("filterGroup") or []
    if not groups:
        return True
    return any(
        all(
            check(item["operator"], _lookup(payload, item["fieldName"]), item.get("value"))
            for item in group.get("filters") or []
        )
        for group in groups
    )
