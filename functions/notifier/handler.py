"""Lambda entry point: a MessageSent event from the bus rule to SNS mobile push.

EventBridge invokes it asynchronously with one event; a raised error is retried by the
rule's retry policy, then parked in its dead-letter queue. Pushes already sent are not
sent again on a retry only if the failure came first; a retried event may repeat a push
(mobile push has no idempotency key), which is preferred over losing it.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

import chatspec
from functions.common.tables import stack_table
from functions.notifier.notify import notify

logger = Logger(service="notifier")


@cache
def _sns() -> Any:
    return boto3.client("sns")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    outcome = notify(
        members=stack_table("room_members"),
        presence_table=os.environ[chatspec.table("presence").env_var],
        devices=stack_table("devices"),
        sns=_sns(),
        detail=event["detail"],
    )
    logger.info("pushed", extra={"sent": len(outcome.sent), "removed": len(outcome.removed)})
    return {"sent": len(outcome.sent), "removed": len(outcome.removed)}
