"""The file check's triggers, told apart by their event's shape.

- S3's object-created notifications for the uploads bucket (`Records[].eventSource`
  `aws:s3`): each record's key (URL-encoded in the event, as S3 sends it) goes to
  `functions.filecheck.check.check_object`. A failure raises, so Lambda's asynchronous
  invocation retries the event (S3 delivers at least once; the check is idempotent).
- The uploads stream's TTL removals (`aws:dynamodb`, through the event source mapping that
  lets only those through): `functions.filecheck.expired.delete_unclaimed` deletes the
  files of uploads no message claimed; the answer is a partial batch response
  (ReportBatchItemFailures), so only the records S3 failed on are retried.
- GuardDuty's "GuardDuty Malware Protection Object Scan Result" events (a rule on the
  default bus, with `uploads.malwareScanning`): the object they name is checked again;
  `check_object` reads the result from the object's tag, never from the event.

Thin on purpose: parse, call the plain functions, answer.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any
from urllib.parse import unquote_plus

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from chatspec.malware import SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE
from functions.common.uploads import ENV_VARS, Store, store_from_env
from functions.filecheck.check import check_object
from functions.filecheck.expired import CleanupOutcome, delete_unclaimed
from functions.filecheck.publish import refresh_attachments

GRAPHQL_URL_ENV = "GRAPHQL_URL"
"""`chatspec.environment.GRAPHQL_URL_ENV`; a test keeps them in step."""
STREAM_SOURCE = "aws:dynamodb"

logger = Logger(service="filecheck")
processor = BatchProcessor(
    event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False
)


def store() -> Store:
    return _store_named(tuple(os.environ.get(v, "") for v in ENV_VARS))


@cache
def _store_named(_names: tuple[str, ...]) -> Store:
    return store_from_env(boto3.resource("dynamodb"), boto3.client("s3"))


def _refresh(room_id: str, message_id: str) -> Any:
    return refresh_attachments(os.environ[GRAPHQL_URL_ENV], room_id, message_id)


def _object_created(event: dict) -> dict[str, Any]:
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


def _scan_result(event: dict) -> dict[str, Any]:
    details = (event.get("detail") or {}).get("s3ObjectDetails") or {}
    if details.get("bucketName") != store().bucket or not details.get("objectKey"):
        logger.warning("scan result for another bucket or no object", extra={"detail": details})
        return {"checked": []}
    key = str(details["objectKey"])
    outcome = check_object(store(), key, _refresh)
    logger.info(
        "checked after the malware scan",
        extra={"key": key, "status": outcome.status, "why": outcome.reason},
    )
    return {"checked": [{"key": key, "status": outcome.status, "reason": outcome.reason}]}


def _expired(event: dict, context: LambdaContext) -> Any:
    outcome: CleanupOutcome = delete_unclaimed(store(), event["Records"])
    logger.info(
        "unclaimed uploads' files deleted",
        extra={
            "deleted": outcome.deleted,
            "skipped": outcome.skipped,
            "failed": {s: str(e) for s, e in outcome.failures.items()},
        },
    )

    def record_handler(record: DynamoDBRecord) -> None:
        outcome.raise_for(record.dynamodb.sequence_number if record.dynamodb else None)

    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> Any:
    if event.get("source") == SCAN_RESULT_SOURCE:
        if event.get("detail-type") != SCAN_RESULT_DETAIL_TYPE:
            return {"checked": []}
        return _scan_result(event)
    records = event.get("Records") or []
    if records and all(r.get("eventSource") == STREAM_SOURCE for r in records):
        return _expired(event, context)
    return _object_created(event)
