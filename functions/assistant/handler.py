"""Lambda entry point: an EventBridge event (MessageSent, from the `assistant-addressed`
rule on the stack's bus) to an answer in the room.

The assistant is a bus rule, not an event source mapping on the messages stream: DynamoDB
Streams allows two readers per shard, and the indexer and the messages Pipe are them
(`chatspec/events.py`). The rule's pattern does what a mapping's filter criteria would:
only TEXT messages that start with `@assistant` invoke this function.

Thin: the configuration from the environment, the clients, then `Assistant.handle`.
A failure to post raises (EventBridge retries, then the rule's dead-letter queue); the
claim makes the retry answer at most once.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from chatspec import assistant as spec
from functions.assistant.answer import Assistant
from functions.assistant.budget import Limits
from functions.assistant.context import Tables
from functions.assistant.model import ModelConfig
from functions.common.graphql_iam import IamGraphQL
from functions.common.tables import stack_table

logger = Logger(service="assistant")
metrics = Metrics(namespace=spec.METRICS_NAMESPACE, service="assistant")


@cache
def _bedrock() -> Any:
    return boto3.client("bedrock-runtime")


def _count_model_error(code: str) -> None:
    logger.warning("model call failed", extra={"code": code})
    metrics.add_metric(name=spec.MODEL_ERRORS_METRIC, unit=MetricUnit.Count, value=1)


def assistant() -> Assistant:
    return Assistant(
        tables=Tables(
            rooms=stack_table("rooms"),
            room_members=stack_table("room_members"),
            messages=stack_table("messages"),
            usage=stack_table("assistant_usage"),
        ),
        bedrock=_bedrock(),
        api=IamGraphQL.from_env(),
        config=ModelConfig(
            model_id=os.environ[spec.MODEL_ID_ENV],
            max_tokens=int(os.environ[spec.MAX_TOKENS_ENV]),
            guardrail_id=os.environ.get(spec.GUARDRAIL_ID_ENV),
            guardrail_version=os.environ.get(spec.GUARDRAIL_VERSION_ENV),
        ),
        limits=Limits(
            room_daily_tokens=int(os.environ[spec.ROOM_DAILY_TOKENS_ENV]),
            user_requests_per_minute=int(os.environ[spec.USER_REQUESTS_PER_MINUTE_ENV]),
        ),
        count_model_error=_count_model_error,
        now=lambda: datetime.now(UTC),
    )


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    outcome = assistant().handle(event.get("detail") or {})
    logger.info("assistant", extra={"status": outcome.status, "tokens": outcome.tokens})
    return {"status": outcome.status, "messageId": outcome.message_id}
