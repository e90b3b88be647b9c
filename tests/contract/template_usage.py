"""What a DynamoDB request template touches: (table, index, IAM action, key attributes).

Read from the template text rather than from a rendering, because a rendering shows one
branch of the `#if`s while the role must allow every branch. Requests are JSON objects
written by hand around VTL directives, so the one structure relied on here is the brace
nesting of the JSON: each `"operation"` belongs to the innermost object holding it, and
that object names its table through `$tables.<name>` (TransactWriteItems items) or
inherits the data source's table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatspec.templates import referenced_tables

OPERATION = re.compile(r'"operation"\s*:\s*"(\w+)"')
INDEX = re.compile(r'"index"\s*:\s*"([\w.-]+)"')
KEY_BLOCK = re.compile(r'"key"\s*:\s*\{')
KEY_NAME = re.compile(r'"(\w+)"\s*:')
EXPRESSION_NAMES = re.compile(r'"expressionNames"\s*:\s*\{([^{}]*)\}')
NAME_VALUE = re.compile(r':\s*"(\w+)"')
FORMAL_REFERENCE = re.compile(r"\$(!?)\{([\w.]+)\}")
TABLE_FIELD = re.compile(r'"table"\s*:')

ACTION_OF = {
    "GetItem": "dynamodb:GetItem",
    "PutItem": "dynamodb:PutItem",
    "UpdateItem": "dynamodb:UpdateItem",
    "DeleteItem": "dynamodb:DeleteItem",
    "Query": "dynamodb:Query",
    "Scan": "dynamodb:Scan",
    "BatchGetItem": "dynamodb:BatchGetItem",
    "BatchPutItem": "dynamodb:BatchWriteItem",
    "BatchDeleteItem": "dynamodb:BatchWriteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "TransactGetItems": "dynamodb:GetItem",
}
BATCH = {"BatchGetItem", "BatchPutItem", "BatchDeleteItem"}
TRANSACTION = {"TransactWriteItems", "TransactGetItems"}
ITEM_ACTION_IN_TRANSACTION = {
    "PutItem": "dynamodb:PutItem",
    "UpdateItem": "dynamodb:UpdateItem",
    "DeleteItem": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "GetItem": "dynamodb:GetItem",
}


@dataclass(frozen=True)
class Usage:
    table: str
    action: str
    index: str | None = None
    key_attributes: tuple[str, ...] = ()
    query_names: tuple[str, ...] = ()
    operation: str = ""


def _enclosing_object(text: str, position: int) -> tuple[int, int]:
    depth, start = 0, 0
    for i in range(position, -1, -1):
        if text[i] == "}":
            depth += 1
        elif text[i] == "{":
            if depth == 0:
                start = i
                break
            depth -= 1
    depth, end = 0, len(text)
    for i in range(position, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            if depth == 0:
                end = i + 1
                break
            depth -= 1
    return start, end


def _direct_children(span: str) -> str:
    """The span with nested objects blanked out, so only its own members remain."""
    out, depth = [], 0
    for ch in span[1:-1]:
        if ch == "{":
            depth += 1
        out.append(ch if depth == 0 else " ")
        if ch == "}":
            depth -= 1
    return "".join(out)


def _key_attributes(span: str) -> tuple[str, ...]:
    match = KEY_BLOCK.search(span)
    if not match:
        return ()
    start, end = _enclosing_object(span, match.end())
    return tuple(KEY_NAME.findall(_direct_children(span[start:end])))


def _query_names(span: str) -> tuple[str, ...]:
    names = []
    for block in EXPRESSION_NAMES.findall(span):
        names += NAME_VALUE.findall(block)
    return tuple(names)


def _transact_get_usages(text: str, start: int, end: int) -> list[Usage]:
    """TransactGetItems items name no operation: each object naming a `table` is a Get."""
    usages = []
    for match in TABLE_FIELD.finditer(text, start, end):
        item_start, item_end = _enclosing_object(text, match.start())
        item = text[item_start:item_end]
        table = next(iter(sorted(referenced_tables(_direct_children(item)))), "")
        usages.append(
            Usage(
                table=table,
                action="dynamodb:GetItem",
                key_attributes=_key_attributes(item),
                operation="GetItem",
            )
        )
    return usages


def request_usage(text: str, data_source_table: str | None) -> list[Usage]:
    """Every DynamoDB access a request template can make."""
    text = FORMAL_REFERENCE.sub(r"$\1\2", text)
    found = list(OPERATION.finditer(text))
    if not found:
        return []
    top = found[0].group(1)
    usages: list[Usage] = []
    if top in BATCH:
        tables = sorted(referenced_tables(text)) or [data_source_table]
        return [Usage(t, ACTION_OF[top], operation=top) for t in tables if t]
    for match in found:
        operation = match.group(1)
        start, end = _enclosing_object(text, match.start())
        span = text[start:end]
        if operation == "TransactGetItems":
            usages += _transact_get_usages(text, start, end)
        if operation in TRANSACTION:
            continue
        own_tables = referenced_tables(_direct_children(span))
        table = next(iter(sorted(own_tables)), None) or data_source_table
        actions = ITEM_ACTION_IN_TRANSACTION if top in TRANSACTION else ACTION_OF
        index = INDEX.search(_direct_children(span))
        usages.append(
            Usage(
                table=table or "",
                action=actions.get(operation, f"dynamodb:{operation}"),
                index=index.group(1) if index else None,
                key_attributes=_key_attributes(span),
                query_names=_query_names(span),
                operation=operation,
            )
        )
    return usages
