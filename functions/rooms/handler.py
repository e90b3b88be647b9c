"""Direct Lambda resolver for Query.myRooms, Query.myMentions and Mutation.deleteRoom.

Thin on purpose: it turns AppSync's context event into a `Caller` and arguments and hands
them to the rule modules. myRooms is a direct resolver; deleteRoom is the step of a pipeline
after the access decision, which arrives in the event (`functions.common.access`). A
client's mistake (`functions.common.errors`) is returned in the `appsync_response` shape,
so it is not a function error; anything else raises.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.common.access import require_access
from functions.common.actions import register_actions
from functions.common.identity import Caller, caller_from_identity, current_event
from functions.common.responses import appsync_response
from functions.rooms.delete_room import delete_room
from functions.rooms.my_mentions import my_mentions
from functions.rooms.my_rooms import my_rooms
from functions.rooms.tables import TABLE_ENV_VARS, Tables, tables_from_env

logger = Logger(service="rooms")
app = AppSyncResolver()


def tables() -> Tables:
    """The tables named by the current environment, built once per set of names.

    Keyed on the names rather than built once per process, so the offline emulator can
    start several APIs (each with its own tables) in one process around the same module.
    """
    return _tables_named(tuple(os.environ.get(v, "") for v in TABLE_ENV_VARS))


@cache
def _tables_named(_names: tuple[str, ...]) -> Tables:
    return tables_from_env(boto3.resource("dynamodb"), boto3.client("s3"))


def _caller() -> Caller:
    return caller_from_identity(current_event(app).get("identity"))


def my_rooms_action(limit: int | None = None, nextToken: str | None = None) -> dict:
    return my_rooms(tables(), _caller(), limit=limit, next_token=nextToken)


def my_mentions_action(limit: int | None = None, nextToken: str | None = None) -> dict:
    return my_mentions(tables(), _caller(), limit=limit, next_token=nextToken)


def delete_room_action(roomId: str) -> dict:
    access = require_access(current_event(app).raw_event)
    return delete_room(tables(), _caller(), roomId, access)


ACTIONS: dict[str, Callable[..., Any]] = {
    "Query.myRooms": my_rooms_action,
    "Query.myMentions": my_mentions_action,
    "Mutation.deleteRoom": delete_room_action,
}

register_actions(app, ACTIONS)


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict[str, Any]:
    return appsync_response(lambda: app.resolve(event, context))
