"""The users Lambda: Cognito's post-confirmation trigger, getUsers, and the batched
Message.author / RoomMember.user field resolvers.

Thin on purpose: a Cognito trigger event (it has `triggerSource`) goes to
`profiles.on_post_confirmation`; an AppSync event (a list when AppSync batches the field,
`BatchInvoke`) goes through Powertools' `AppSyncResolver`. The batched fields answer one
result per event, in order, each `{"data": ...}` as the shared response template expects.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.common.actions import register_actions
from functions.common.identity import caller_from_identity, current_event
from functions.common.responses import appsync_response
from functions.users.get_users import get_users
from functions.users.profiles import on_post_confirmation, resolve_batch
from functions.users.tables import TABLE_ENV_VARS, Tables, tables_from_env

logger = Logger(service="users")
app = AppSyncResolver()


def tables() -> Tables:
    """Keyed on the table names so one process can serve several local APIs."""
    return _tables_named(tuple(os.environ.get(v, "") for v in TABLE_ENV_VARS))


@cache
def _tables_named(_names: tuple[str, ...]) -> Tables:
    return tables_from_env(boto3.resource("dynamodb"))


def get_users_action(userIds: list | None = None) -> list:
    return get_users(tables(), caller_from_identity(current_event(app).get("identity")), userIds)


def authors_action(event: list[AppSyncResolverEvent]) -> list:
    return resolve_batch(tables(), [e.source for e in event], "authorId")


def member_users_action(event: list[AppSyncResolverEvent]) -> list:
    return resolve_batch(tables(), [e.source for e in event], "userId")


ACTIONS: dict[str, Callable[..., Any]] = {
    "Query.getUsers": get_users_action,
    "Message.author": authors_action,
    "RoomMember.user": member_users_action,
}
BATCH_ACTIONS = frozenset({"Message.author", "RoomMember.user"})
"""Fields whose resolver has a maxBatchSize: their event is the list of a BatchInvoke."""

register_actions(app, {k: a for k, a in ACTIONS.items() if k not in BATCH_ACTIONS})
for _key in sorted(BATCH_ACTIONS):
    _type_name, _field_name = _key.split(".")
    app.batch_resolver(type_name=_type_name, field_name=_field_name, aggregate=True)(ACTIONS[_key])


@logger.inject_lambda_context
def handler(event: Any, context: LambdaContext) -> Any:
    if isinstance(event, dict) and "triggerSource" in event:
        return on_post_confirmation(tables(), event)
    if isinstance(event, list):
        return app.resolve(event, context)
    return appsync_response(lambda: app.resolve(event, context))
