"""Lambda entry point: MessageSent / MessageEdited from the `moderate-message-*` rules on
the stack's bus to the toxicity check (`functions.moderation.check`).

A bus rule rather than an event source mapping on the messages stream: the stream's two
readers per shard are the indexer and the messages Pipe (`chatspec/events.py`), and the
rules' patterns (TEXT messages, edits with content) are the filter criteria.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.common.graphql_iam import IamGraphQL
from functions.common.tables import stack_table
from functions.moderation.check import Checker

logger = Logger(service="moderation")


@cache
def _comprehend() -> Any:
    return boto3.client("comprehend")


def checker() -> Checker:
    return Checker(
        rooms=stack_table("rooms"),
        moderation=stack_table("moderation"),
        comprehend=_comprehend(),
        api=IamGraphQL.from_env(),
        now=lambda: datetime.now(UTC),
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    outcome = checker().handle(event.get("detail") or {})
    logger.info("checked", extra={"status": outcome.status, "toxicity": outcome.toxicity})
    return {"status": outcome.status}
