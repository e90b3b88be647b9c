"""Lambda entry point: MessageSent / MessageEdited from the `moderate-message-*` rules on
the stack's bus to the toxicity check (`functions.moderation.check`).

A bus rule rather than an event source mapping on the messages stream: the stream's two
readers per shard are the indexer and the messages Pipe (`chatspec/events.py`), and the
rules' patterns (TEXT messages, edits with content) are the filter criteria.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

import chatspec
from functions.common.graphql_iam import IamGraphQL
from functions.moderation.check import Checker

logger = Logger(service="moderation")


@cache
def _clients() -> tuple[Any, Any]:
    return boto3.resource("dynamodb"), boto3.client("comprehend")


def checker() -> Checker:
    dynamodb, comprehend = _clients()
    return Checker(
        rooms=dynamodb.Table(os.environ[chatspec.table("rooms").env_var]),
        moderation=dynamodb.Table(os.environ[chatspec.table("moderation").env_var]),
        comprehend=comprehend,
        api=IamGraphQL.from_env(),
        now=lambda: datetime.now(UTC),
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    outcome = checker().handle(event.get("detail") or {})
    logger.info("checked", extra={"status": outcome.status, "toxicity": outcome.toxicity})
    return {"status": outcome.status}
