"""The file check: S3's object-created notifications for the uploads bucket.

Thin on purpose: each record's key (URL-encoded in the event, as S3 sends it) goes to
`functions.filecheck.check.check_object`. A failure raises, so Lambda's asynchronous
invocation retries the event (S3 delivers at least once; the check is idempotent).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any
from urllib.parse import unquote_plus

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.common.uploads import ENV_VARS, Store, store_from_env
from functions.filecheck.check import check_object
from functions.filecheck.publish import refresh_attachments

GRAPHQL_URL_ENV = "GRAPHQL_URL"
"""`chatspec.environment.GRAPHQL_URL_ENV`; a test keeps them in step."""

logger = Logger(service="filecheck")


def store() -> Store:
    return _store_named(tuple(os.environ.get(v, "") for v in ENV_VARS))


@cache
def _store_named(_names: tuple[str, ...]) -> Store:
    return store_from_env(boto3.resource("dynamodb"), boto3.client("s3"))


def _refresh(room_id: str, message_id: str) -> Any:
    return refresh_attachments(os.environ[GRAPHQL_URL_ENV], room_id, message_id)


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict[str, Any]:
    outcomes = []
    for record in event.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        if record["s3"]["bucket"]["name"] != store().bucket:
            continue
        key = unquote_plus(record["s3"]["object"]["key"])
        outcome = check_object(store(), key, _refresh)
        logger.info("checked", extra={"key": key, "status": outcome.status, "why": outcome.reason})
        outcomes.append({"key": key, "status": outcome.status, "reason": outcome.reason})
    return {"checked": outcomes}
