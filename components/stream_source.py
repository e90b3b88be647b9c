"""A Lambda fed by a DynamoDB stream: its event source mapping, failure queue and the role
statements the mapping needs, built the same way for every `stream_source` Lambda (the
indexer in the search component, the file check in the upload checks).

The mapping drops nothing it could keep: it starts at TRIM_HORIZON (LATEST would skip what
was written before the mapping existed), retries a failing record for as long as the
stream keeps it less a redrive window (so an outage of hours is retried, not discarded),
bisects, takes partial batch responses, and parks what still fails as a pointer in an
encrypted queue (`<prefix>-<function>-failures`, 14 days), from which the records can be
re-read while the stream still has them. The spec's `stream_filters` become the mapping's
FilterCriteria: Lambda drops the records no pattern matches before invoking anything.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from chatspec.aws_limits import (
    DYNAMODB_STREAM_RETENTION,
    LAMBDA_STREAM_MAX_RETRY_ATTEMPTS,
    SQS_MAX_MESSAGE_RETENTION,
)
from chatspec.model import LambdaFunction

FAILURE_RETENTION_SECONDS = SQS_MAX_MESSAGE_RETENTION.value
STREAM_STARTING_POSITION = "TRIM_HORIZON"
STREAM_REDRIVE_WINDOW_SECONDS = 6 * 3600
"""How long a parked pointer's records stay readable at least: the time to redrive them."""
STREAM_MAX_RECORD_AGE_SECONDS = DYNAMODB_STREAM_RETENTION.value - STREAM_REDRIVE_WINDOW_SECONDS
STREAM_MAX_RETRIES = LAMBDA_STREAM_MAX_RETRY_ATTEMPTS.value
STREAM_READ_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
)


def failure_queue_name(prefix: str, function: str) -> str:
    return f"{prefix}-{function}-failures"


def failure_queue(
    resource_name: str,
    *,
    prefix: str,
    function: str,
    kms_key_arn: pulumi.Input[str] | None,
    tags: dict[str, str],
    retain_on_delete: bool,
    parent: pulumi.Resource,
) -> aws.sqs.Queue:
    """The encrypted queue where the mapping parks the pointers of batches it gave up on."""
    encrypted = kms_key_arn is not None
    return aws.sqs.Queue(
        resource_name,
        name=failure_queue_name(prefix, function),
        message_retention_seconds=FAILURE_RETENTION_SECONDS,
        kms_master_key_id=kms_key_arn if encrypted else None,
        sqs_managed_sse_enabled=None if encrypted else True,
        tags=tags,
        opts=pulumi.ResourceOptions(
            parent=parent, protect=retain_on_delete, retain_on_delete=retain_on_delete
        ),
    )


def stream_statements(
    stream_arn: pulumi.Input[str],
    queue_arn: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str] | None,
) -> list[Any]:
    """What the mapping does with the function's role: read that stream only, send to that
    queue only (and use the stack's key for both, when there is one)."""
    statements: list[Any] = [
        pulumi.Output.from_input(stream_arn).apply(
            lambda arn: {"Effect": "Allow", "Action": list(STREAM_READ_ACTIONS), "Resource": arn}
        ),
        # ListStreams supports no resource ARN (DynamoDB's service authorization reference).
        {"Effect": "Allow", "Action": ["dynamodb:ListStreams"], "Resource": "*"},
        pulumi.Output.from_input(queue_arn).apply(
            lambda arn: {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": arn}
        ),
    ]
    if kms_key_arn is not None:
        statements.append(
            pulumi.Output.from_input(kms_key_arn).apply(
                lambda arn: {
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": arn,
                }
            )
        )
    return statements


def filter_criteria(
    spec: LambdaFunction,
) -> aws.lambda_.EventSourceMappingFilterCriteriaArgs | None:
    if not spec.stream_filters:
        return None
    return aws.lambda_.EventSourceMappingFilterCriteriaArgs(
        filters=[
            aws.lambda_.EventSourceMappingFilterCriteriaFilterArgs(
                pattern=json.dumps(pattern, sort_keys=True)
            )
            for pattern in spec.stream_filters
        ]
    )


def stream_mapping(
    resource_name: str,
    spec: LambdaFunction,
    *,
    function_arn: pulumi.Input[str],
    stream_arn: pulumi.Input[str],
    queue_arn: pulumi.Input[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.lambda_.EventSourceMapping:
    return aws.lambda_.EventSourceMapping(
        resource_name,
        function_name=function_arn,
        event_source_arn=stream_arn,
        starting_position=STREAM_STARTING_POSITION,
        batch_size=100,
        maximum_batching_window_in_seconds=1,
        bisect_batch_on_function_error=True,
        maximum_retry_attempts=STREAM_MAX_RETRIES,
        maximum_record_age_in_seconds=STREAM_MAX_RECORD_AGE_SECONDS,
        function_response_types=["ReportBatchItemFailures"],
        filter_criteria=filter_criteria(spec),
        tags=tags,
        destination_config=aws.lambda_.EventSourceMappingDestinationConfigArgs(
            on_failure=aws.lambda_.EventSourceMappingDestinationConfigOnFailureArgs(
                destination_arn=queue_arn
            )
        ),
        opts=opts,
    )
