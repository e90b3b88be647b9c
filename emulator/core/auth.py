"""AppSync field authorization from `@aws_cognito_user_pools`, `@aws_iam` and friends.

Rules (AppSync "Configuring authorization", multiple authorization types): a field's
own auth directives replace its type's; a field and type without any directive are
open to the default mode only; `cognito_groups` restricts user-pool callers to members
of those groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, value_from_ast_untyped

DIRECTIVE_MODES = {
    "aws_cognito_user_pools": "AMAZON_COGNITO_USER_POOLS",
    "aws_auth": "AMAZON_COGNITO_USER_POOLS",
    "aws_iam": "AWS_IAM",
    "aws_api_key": "API_KEY",
    "aws_oidc": "OPENID_CONNECT",
    "aws_lambda": "AWS_LAMBDA",
}


@dataclass(frozen=True)
class Rule:
    mode: str
    groups: tuple[str, ...] | None = None


def _rules(ast_node: Any) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for directive in getattr(ast_node, "directives", None) or ():
        mode = DIRECTIVE_MODES.get(directive.name.value)
        if mode is None:
            continue
        groups = None
        for argument in directive.arguments or ():
            if argument.name.value == "cognito_groups":
                value = value_from_ast_untyped(argument.value)
                groups = tuple(value or ())
        rules.append(Rule(mode, groups))
    return tuple(rules)


def caller_groups(identity: Mapping[str, Any] | None) -> list[str]:
    if not identity:
        return []
    groups = identity.get("groups")
    if groups is None:
        groups = (identity.get("claims") or {}).get("cognito:groups")
    return list(groups or [])


class FieldAuthorizer:
    def __init__(self, schema: GraphQLSchema, default_mode: str = "AMAZON_COGNITO_USER_POOLS"):
        self.default_mode = default_mode
        self._rules: dict[tuple[str, str], tuple[Rule, ...]] = {}
        for type_ in schema.type_map.values():
            if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
                continue
            type_rules = _rules(type_.ast_node)
            for extension in type_.extension_ast_nodes or ():
                type_rules += _rules(extension)
            for name, field in type_.fields.items():
                field_rules = _rules(field.ast_node)
                self._rules[(type_.name, name)] = field_rules or type_rules or (Rule(default_mode),)

    def rules(self, type_name: str, field_name: str) -> tuple[Rule, ...]:
        return self._rules.get((type_name, field_name), (Rule(self.default_mode),))

    def allows(
        self,
        type_name: str,
        field_name: str,
        auth_type: str,
        identity: Mapping[str, Any] | None,
    ) -> bool:
        if field_name.startswith("__"):
            return True
        for rule in self.rules(type_name, field_name):
            if rule.mode != auth_type:
                continue
            if rule.groups is None:
                return True
            if set(rule.groups) & set(caller_groups(identity)):
                return True
        return False


def unauthorized_message(field_name: str, type_name: str) -> str:
    return f"Not Authorized to access {field_name} on type {type_name}"
