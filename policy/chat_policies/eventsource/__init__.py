"""Event source mappings from DynamoDB streams: failure handling.

A mapping with a `startingPosition` reads a stream (DynamoDB or Kinesis); queue
mappings have none and are left alone, since their retries are the queue's business.

The pack runs in its own virtualenv from `policy/`, so AWS's numbers are restated here;
`tests/policy/test_resource_policies.py` checks them against `chatspec.aws_limits`.
"""

from .._support import dig

MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
STREAM_RETENTION_SECONDS = 24 * 3600
"""DynamoDB Streams keep a record 24 hours (chatspec.aws_limits.DYNAMODB_STREAM_RETENTION)."""
MIN_REDRIVE_WINDOW_SECONDS = 3600
"""A parked pointer must leave at least this long to re-read its records from the stream."""
MAX_RETRY_ATTEMPTS = 10_000
"""AWS's largest finite MaximumRetryAttempts (LAMBDA_STREAM_MAX_RETRY_ATTEMPTS)."""
MIN_RECORD_AGE_SECONDS = 60
"""AWS's smallest MaximumRecordAgeInSeconds besides -1 (LAMBDA_STREAM_MIN_RECORD_AGE)."""


def reads_a_stream(props) -> bool:
    return dig(props, "startingPosition") is not None


def is_stream_mapping(args) -> bool:
    """The stream rules' `applies`: a mapping that reads a stream (not a queue)."""
    return reads_a_stream(args.props)
