"""`$util.transform`: filter inputs to DynamoDB filter expressions and subscription filters.

Input objects have AppSync's filter-input shape: `{field: {operator: value}}` plus
`and`/`or` lists and `not`.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.vtl.errors import UtilError
from emulator.vtl.util_dynamodb import to_dynamodb

_COMPARISONS = {"eq": "=", "ne": "<>", "le": "<=", "lt": "<", "ge": ">=", "gt": ">"}
SUBSCRIPTION_OPERATORS = frozenset(
    {
        "eq",
        "ne",
        "le",
        "lt",
        "ge",
        "gt",
        "contains",
        "notContains",
        "beginsWith",
        "in",
        "notIn",
        "between",
        "attributeExists",
        "containsAny",
    }
)


class _ExpressionBuilder:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def _value(self, field: str, op: str, value: Any) -> str:
        placeholder = f":{field}_{op}"
        suffix = 1
        while placeholder in self.values:
            suffix += 1
            placeholder = f":{field}_{op}_{suffix}"
        self.values[placeholder] = to_dynamodb(value)
        return placeholder

    def build(self, filter_object: dict[str, Any]) -> str:
        parts: list[str] = []
        for key, condition in filter_object.items():
            if condition is None:
                continue
            if key in ("and", "or"):
                joined = f" {key} ".join(self.build(sub) for sub in condition)
                parts.append(f"({joined})")
            elif key == "not":
                parts.append(f"(not {self.build(condition)})")
            else:
                parts.append(self._field(key, condition))
        return "(" + " and ".join(parts) + ")" if len(parts) > 1 else "".join(parts)

    def _field(self, field: str, condition: dict[str, Any]) -> str:
        name = f"#{field}"
        self.names[name] = field
        clauses: list[str] = []
        for op, value in condition.items():
            if op in _COMPARISONS:
                clauses.append(f"({name} {_COMPARISONS[op]} {self._value(field, op, value)})")
            elif op == "contains":
                clauses.append(f"(contains({name},{self._value(field, op, value)}))")
            elif op == "notContains":
                clauses.append(f"(not contains({name},{self._value(field, op, value)}))")
            elif op == "beginsWith":
                clauses.append(f"(begins_with({name},{self._value(field, op, value)}))")
            elif op == "between":
                if not isinstance(value, list) or len(value) != 2:
                    raise UtilError(f"between on {field} needs two values", "ValidationError")
                low = self._value(field, "between_0", value[0])
                high = self._value(field, "between_1", value[1])
                clauses.append(f"({name} between {low} and {high})")
            elif op == "attributeExists":
                fn = "attribute_exists" if value else "attribute_not_exists"
                clauses.append(f"({fn}({name}))")
            elif op == "attributeType":
                clauses.append(f"(attribute_type({name},{self._value(field, op, value)}))")
            elif op == "size":
                raise UtilError("size filters are not supported", "ValidationError")
            else:
                raise UtilError(f"unknown filter operator {op!r} on {field}", "ValidationError")
        return " and ".join(clauses) if len(clauses) == 1 else "(" + " and ".join(clauses) + ")"


def to_dynamodb_filter_expression(filter_object: dict[str, Any] | None) -> str | None:
    if not filter_object:
        return None
    builder = _ExpressionBuilder()
    expression = builder.build(filter_object)
    return json.dumps(
        {
            "expression": expression,
            "expressionNames": builder.names,
            "expressionValues": builder.values,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _filters_of(filter_object: dict[str, Any], ignored: set[str]) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    for field, condition in filter_object.items():
        if field in ("and", "or") or field in ignored or condition is None:
            continue
        if not isinstance(condition, dict):
            raise UtilError(f"filter for {field} must be an object of operators", "ValidationError")
        for op, value in condition.items():
            if op not in SUBSCRIPTION_OPERATORS:
                raise UtilError(f"unknown subscription filter operator {op!r}", "ValidationError")
            filters.append({"fieldName": field, "operator": op, "value": value})
    for sub in filter_object.get("and") or []:
        filters.extend(_filters_of(sub, ignored))
    return filters


def to_subscription_filter(
    filter_object: dict[str, Any],
    ignored_fields: list[str] | None = None,
    rules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Each `or` alternative becomes a filter group carrying the common filters too."""
    ignored = set(ignored_fields or [])
    merged = dict(filter_object or {})
    if rules:
        merged.setdefault("and", [])
        merged["and"] = [*merged["and"], rules]
    common = _filters_of(merged, ignored)
    alternatives = merged.get("or") or []
    if not alternatives:
        return {"filterGroup": [{"filters": common}]}
    return {
        "filterGroup": [{"filters": common + _filters_of(alt, ignored)} for alt in alternatives]
    }
