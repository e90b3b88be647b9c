"""Direct Lambda resolver for Mutation.registerDevice and Mutation.unregisterDevice.

Thin: the caller from AppSync's identity, the arguments, the rules in `register.py`.
A client's mistake is returned in the `appsync_response` shape, not raised.
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

import chatspec
from functions.common.actions import register_actions
from functions.common.identity import caller_from_identity, current_event
from functions.common.responses import appsync_response
from functions.devices.register import register_device, unregister_device

logger = Logger(service="devices")
app = AppSyncResolver()


@cache
def _clients(table_name: str) -> tuple[Any, Any]:
    return boto3.resource("dynamodb").Table(table_name), boto3.client("sns")


def _devices_and_sns() -> tuple[Any, Any]:
    return _clients(os.environ[chatspec.table("devices").env_var])


def _caller():
    return caller_from_identity(current_event(app).get("identity"))


def register_action(platform: str, token: str) -> dict:
    devices, sns = _devices_and_sns()
    return register_device(devices, sns, _caller(), platform, token)


def unregister_action(platform: str, token: str) -> bool:
    devices, sns = _devices_and_sns()
    return unregister_device(devices, sns, _caller(), platform, token)


ACTIONS: dict[str, Callable[..., Any]] = {
    "Mutation.registerDevice": register_action,
    "Mutation.unregisterDevice": unregister_action,
}

register_actions(app, ACTIONS)


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict[str, Any]:
    return appsync_response(lambda: app.resolve(event, context))
