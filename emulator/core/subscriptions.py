"""Subscriptions that fire from their `@aws_subscribe` mutations, with AppSync's matching.

A mutation's published payload reaches a subscription when (1) the mutation is listed
in the subscription field's `@aws_subscribe(mutations: [...])`, (2) every argument the
subscriber gave that names a field of the returned type equals that field of the
payload, and (3) the enhanced filter set at subscribe time matches. The subscriber then
receives the payload projected onto its own selection set. `invalidateSubscriptions`
closes the subscriptions of a field whose invalidation filter matches its payload.

Delivery callbacks run synchronously in the publishing thread; an asyncio server hands
them to its loop with `loop.call_soon_threadsafe`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
    value_from_ast_untyped,
)

from emulator.core import filters
from emulator.core.selection import project


@dataclass
class Subscription:
    """One active subscription; set `on_data`/`on_invalidated` to receive events."""

    field_name: str
    response_key: str
    arguments: dict[str, Any]
    field_node: FieldNode
    fragments: dict[str, Any]
    identity: dict[str, Any] | None
    auth_type: str
    filter: dict[str, Any] | None = None
    invalidation_filter: dict[str, Any] | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    on_data: Callable[[dict[str, Any]], None] | None = None
    on_invalidated: Callable[[], None] | None = None
    closed: bool = False

    def payload_for(self, mutation_result: dict[str, Any], type_name: str | None) -> dict[str, Any]:
        projected = project(
            mutation_result, self.field_node.selection_set, self.fragments, type_name
        )
        return {"data": {self.response_key: projected}}


def subscribed_mutations(schema: GraphQLSchema) -> dict[str, list[str]]:
    """{mutation field: [subscription fields listening to it]}."""
    listeners: dict[str, list[str]] = {}
    subscription_type = schema.subscription_type
    if subscription_type is None:
        return listeners
    for name, field_def in subscription_type.fields.items():
        for directive in getattr(field_def.ast_node, "directives", None) or ():
            if directive.name.value != "aws_subscribe":
                continue
            for argument in directive.arguments or ():
                if argument.name.value == "mutations":
                    for mutation in value_from_ast_untyped(argument.value) or []:
                        listeners.setdefault(mutation, []).append(name)
    return listeners


class SubscriptionRegistry:
    """Thread-safe set of active subscriptions and the matching of published events."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self._lock = threading.RLock()
        self._subscriptions: dict[str, Subscription] = {}
        self.listeners = subscribed_mutations(schema)
        self._return_fields: dict[str, tuple[str, set[str]]] = {}
        if schema.subscription_type is not None:
            for name, field_def in schema.subscription_type.fields.items():
                named = get_named_type(field_def.type)
                fields = set(named.fields) if isinstance(named, GraphQLObjectType) else set()
                self._return_fields[name] = (named.name, fields)

    def add(self, subscription: Subscription) -> Subscription:
        with self._lock:
            self._subscriptions[subscription.id] = subscription
        return subscription

    def remove(self, subscription_id: str) -> Subscription | None:
        with self._lock:
            return self._subscriptions.pop(subscription_id, None)

    def active(self) -> list[Subscription]:
        with self._lock:
            return list(self._subscriptions.values())

    def _arguments_match(self, subscription: Subscription, payload: dict[str, Any]) -> bool:
        _, fields = self._return_fields.get(subscription.field_name, ("", set()))
        for name, value in subscription.arguments.items():
            if value is None or name not in fields:
                continue
            if payload.get(name) != value:
                return False
        return True

    def publish(self, mutation_field: str, payload: Any) -> list[Subscription]:
        """Deliver a mutation's result; returns the subscriptions that received it."""
        fields = self.listeners.get(mutation_field)
        if not fields or not isinstance(payload, dict):
            return []
        delivered: list[Subscription] = []
        for subscription in self.active():
            if subscription.closed or subscription.field_name not in fields:
                continue
            if not self._arguments_match(subscription, payload):
                continue
            if not filters.matches(subscription.filter, payload):
                continue
            type_name, _ = self._return_fields.get(subscription.field_name, (None, set()))
            event = subscription.payload_for(payload, type_name)
            delivered.append(subscription)
            if subscription.on_data is not None:
                subscription.on_data(event)
        return delivered

    def invalidate(self, subscription_field: str, payload: Any) -> list[Subscription]:
        """Close every subscription of `subscription_field` whose invalidation filter matches."""
        closed: list[Subscription] = []
        for subscription in self.active():
            if subscription.field_name != subscription_field or subscription.closed:
                continue
            if subscription.invalidation_filter is None:
                continue
            if not filters.matches(subscription.invalidation_filter, payload):
                continue
            subscription.closed = True
            self.remove(subscription.id)
            closed.append(subscription)
            if subscription.on_invalidated is not None:
                subscription.on_invalidated()
        return closed


def root_field(operation: OperationDefinitionNode) -> FieldNode | None:
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            return selection
    return None
