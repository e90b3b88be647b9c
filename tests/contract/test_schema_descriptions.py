"""The schema is the client's contract: every operation and every type describes itself.

An operation's description states its limits, who may call it and the error types it
returns (docs/CONTRIBUTING.md); a type's says what it is. Both travel through
introspection, so a client developer reads them in their GraphQL tool.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse
from graphql.language import (
    DocumentNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    ObjectTypeDefinitionNode,
)

SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"
ROOTS = ("Query", "Mutation", "Subscription")
ERROR_TYPES = ("ValidationError", "NotFound", "Unauthorized", "Conflict", "LimitExceeded")


def undescribed(document: DocumentNode) -> list[str]:
    """Root fields and object/input/enum types without a description, or root fields whose
    description names no error type or does not say who may call."""
    problems = []
    kinds = (ObjectTypeDefinitionNode, InputObjectTypeDefinitionNode, EnumTypeDefinitionNode)
    for definition in document.definitions:
        if not isinstance(definition, kinds):
            continue
        name = definition.name.value
        if definition.description is None or not definition.description.value.strip():
            problems.append(f"type {name} has no description")
        if name not in ROOTS or not isinstance(definition, ObjectTypeDefinitionNode):
            continue
        for field in definition.fields or ():
            key = f"{name}.{field.name.value}"
            text = field.description.value if field.description else ""
            if not text.strip():
                problems.append(f"{key} has no description")
                continue
            if not any(re.search(rf"\b{error}\b", text) for error in ERROR_TYPES):
                problems.append(f"{key}: the description names no error type")
            if "Who:" not in text and "Who and" not in text:
                problems.append(f"{key}: the description does not say who may call it")
    return problems


def test_every_operation_and_type_is_described():
    assert undescribed(parse(SCHEMA.read_text(encoding="utf-8"))) == []


def test_a_missing_description_is_found():
    broken = parse(
        '"""A."""\ntype Query {\n  """Who: anyone. Errors: NotFound."""\n  a: Int\n  b: Int\n}\n'
        'type Room { id: ID }\n"""Only who."""\ntype Mutation {\n  """Who: x."""\n  c: Int\n}\n'
    )
    assert undescribed(broken) == [
        "Query.b has no description",
        "type Room has no description",
        "Mutation.c: the description names no error type",
    ]
