"""The API's `queryDepthLimit`, `resolverCountLimit` and introspection switch, enforced the
way AppSync documents them (`chatspec.aws_limits`, APPSYNC_LIMITS_DOC):

- a field nested deeper than the depth limit resolves to null with a limit error, which
  travels up to the nearest nullable field like any field error; depth counts field
  levels, the operation's root fields being level 1 (list indices do not count);
- once a request has invoked `resolverCountLimit` resolvers, the next field that has a
  resolver resolves to null with a limit error (0 means AppSync's maximum, 10000);
- with introspection disabled, a request that selects `__schema` or `__type` fails
  validation (AppSync answers with validation errors); `__typename` stays allowed.

AppSync does not document the wording of its limit errors; the emulator's name the limit
and its value, with errorType `LimitExceeded`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FieldNode, visit
from graphql.language import Visitor

from chatspec.aws_limits import APPSYNC_RESOLVER_COUNT_LIMIT

INTROSPECTION_FIELDS = ("__schema", "__type")
LIMIT_ERROR = "LimitExceeded"


@dataclass(frozen=True)
class ApiLimits:
    query_depth: int = 0
    resolver_count: int = 0
    introspection: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> ApiLimits:
        return cls(
            query_depth=settings.appsync_query_depth_limit,
            resolver_count=settings.appsync_resolver_count_limit,
            introspection=settings.appsync_introspection,
        )

    @property
    def effective_resolver_count(self) -> int:
        return self.resolver_count or APPSYNC_RESOLVER_COUNT_LIMIT.value

    def depth_error(self, path: list[Any]) -> str | None:
        depth = sum(1 for key in path if isinstance(key, str))
        if self.query_depth and depth > self.query_depth:
            return (
                f"field {'.'.join(str(k) for k in path)} is {depth} levels deep; "
                f"this API's query depth limit is {self.query_depth}"
            )
        return None

    def resolver_count_error(self, invoked: int) -> str | None:
        if invoked > self.effective_resolver_count:
            return (
                f"this request invoked more than {self.effective_resolver_count} resolvers, "
                "this API's resolver count limit"
            )
        return None


class _IntrospectionFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[FieldNode] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.found.append(node)


def introspection_fields(document: DocumentNode) -> list[FieldNode]:
    finder = _IntrospectionFinder()
    visit(document, finder)
    return finder.found
