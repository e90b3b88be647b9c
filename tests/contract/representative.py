"""Representative values derived from the schema: arguments, stored items, the caller.

Generated from the GraphQL types rather than written per field, so that a field or
argument added to schema.graphql is rendered the moment it gets a resolver. Each value
is the plainest valid one (an enum's first value, every optional input field present),
which is the path a template takes for an ordinary request.
"""

from __future__ import annotations

import hashlib
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)

from chatspec.model import Table
from emulator.core.schema import load_schema
from emulator.identity import cognito_identity

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SCALARS: dict[str, Any] = {
    "String": "text",
    "Int": 10,
    "Float": 1.5,
    "Boolean": False,
    "AWSDateTime": "2026-01-01T00:00:00.000Z",
    "AWSDate": "2026-01-01",
    "AWSTime": "00:00:00.000Z",
    "AWSTimestamp": 1767225600,
    "AWSEmail": "someone@example.com",
    "AWSJSON": "{}",
    "AWSURL": "https://example.com/",
    "AWSPhone": "+15555550100",
    "AWSIPAddress": "192.0.2.1",
}


def ulid_like(seed: str) -> str:
    """A 26-character Crockford base32 id, stable per seed (one id per argument name)."""
    digest = hashlib.sha256(seed.encode()).digest()
    return "01J" + "".join(_CROCKFORD[b % 32] for b in digest[:23])


def caller() -> dict[str, Any]:
    """An ordinary signed-in user; rooms are theirs through the membership items below."""
    return cognito_identity("representative-caller", groups=["User"])


def schema(schema_text: str) -> GraphQLSchema:
    return load_schema(schema_text)


def value_of(type_: Any, name: str, depth: int = 0) -> Any:
    """The representative value of a GraphQL input or output type; `name` seeds IDs."""
    if isinstance(type_, GraphQLNonNull):
        return value_of(type_.of_type, name, depth)
    if isinstance(type_, GraphQLList):
        return [value_of(type_.of_type, name, depth)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLScalarType):
        if type_.name == "ID":
            return ulid_like(name)
        if type_.name not in SCALARS:
            raise KeyError(f"no representative value for scalar {type_.name} (argument {name})")
        return SCALARS[type_.name]
    if isinstance(type_, GraphQLInputObjectType):
        return {key: value_of(f.type, key, depth) for key, f in type_.fields.items()}
    if isinstance(type_, GraphQLObjectType):
        if depth > 1:
            return None
        return {key: value_of(f.type, key, depth + 1) for key, f in type_.fields.items()}
    raise TypeError(f"unsupported GraphQL type {type_!r} for {name}")


def arguments(graphql_schema: GraphQLSchema, type_name: str, field_name: str) -> dict[str, Any]:
    field = graphql_schema.get_type(type_name).fields[field_name]
    return {name: value_of(arg.type, name) for name, arg in field.args.items()}


def item_type_name(table: Table) -> str:
    """The object type a table stores, by the naming convention rooms -> Room,
    room_members -> RoomMember, presence -> Presence."""
    words = table.name.split("_")
    words[-1] = words[-1][:-1] if words[-1].endswith("s") else words[-1]
    return "".join(word.title() for word in words)


def stored_item(graphql_schema: GraphQLSchema, table: Table) -> dict[str, Any]:
    """A table item: the scalar and enum fields of its object type plus every key attribute.

    Object-valued fields are left out, as they are resolved by their own resolvers from
    whatever the item stores.
    """
    item: dict[str, Any] = {}
    stored = graphql_schema.get_type(item_type_name(table))
    if isinstance(stored, GraphQLObjectType):
        for key, field in stored.fields.items():
            value = value_of(field.type, key, depth=2)
            if value is not None and not (
                isinstance(value, list) and any(isinstance(v, dict | type(None)) for v in value)
            ):
                item[key] = value
    keys = [table.hash_key, table.range_key]
    for index in table.indexes:
        keys += [index.hash_key, index.range_key]
    for key in (k for k in keys if k is not None):
        item.setdefault(key.name, ulid_like(key.name) if key.type == "S" else 10)
    return item
