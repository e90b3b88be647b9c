"""Lambda entry point: the step of the Query.searchMessages pipeline after the access decision.

A client's mistake (bad arguments, a room the caller may not read) comes back in the
`appsync_response` shape (not a function error).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.common.access import access_of
from functions.common.actions import register_actions
from functions.common.identity import Caller, caller_from_identity, current_event
from functions.common.opensearch import cached_client, index_name
from functions.common.responses import appsync_response
from functions.search.memberships import dynamodb_client, members_table_name
from functions.search.request import parse_request
from functions.search.service import search_messages

app = AppSyncResolver()


def _caller() -> Caller:
    return caller_from_identity(current_event(app).get("identity"))


def search_messages_action(
    query: str, roomId: str | None = None, limit: int | None = None, nextToken: str | None = None
) -> dict[str, Any]:
    request = parse_request(query, roomId, limit, nextToken)
    return search_messages(
        _caller(),
        request,
        access=access_of(current_event(app).raw_event),
        dynamodb=dynamodb_client(),
        members_table=members_table_name(),
        opensearch=cached_client(),
        index=index_name(),
    )


ACTIONS = {"Query.searchMessages": search_messages_action}

register_actions(app, ACTIONS)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return appsync_response(lambda: app.resolve(event, context))
