"""A pipe on a stream retries a failing batch a bounded number of times, for a bounded
time, bisects it, and parks what still fails in a dead-letter queue."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from . import MAX_RETRY_ATTEMPTS, PIPE, reads_a_dynamodb_stream


def _check(args):
    if not reads_a_dynamodb_stream(args.props):
        return
    stream = dig(args.props, "sourceParameters.dynamodbStreamParameters")
    retries = number(dig(stream, "maximumRetryAttempts"))
    if retries is None or retries < 0 or retries > MAX_RETRY_ATTEMPTS:
        yield f"maximumRetryAttempts is {retries}; a stream source retries forever by default."
    age = number(dig(stream, "maximumRecordAgeInSeconds"))
    if age is None or age < 0:
        yield f"maximumRecordAgeInSeconds is {age}; records would be retried until they expire."
    if not dig(stream, "deadLetterConfig.arn"):
        yield "no deadLetterConfig: records that keep failing are dropped without a trace."
    if dig(stream, "onPartialBatchItemFailure") != "AUTOMATIC_BISECT":
        yield "onPartialBatchItemFailure is not AUTOMATIC_BISECT: one bad record blocks its batch."


POLICY = resource_policy(
    name="pipe-stream-bounded-failures",
    description=(
        "A pipe whose stream batch keeps failing blocks its shard for up to 24 hours and "
        "then drops the records; retries, record age and a dead-letter queue bound that."
    ),
    resource_types=[PIPE],
    checks="a stream pipe bounds retries and record age, bisects, and has a dead-letter queue",
    remediation=(
        f"set dynamodb_stream_parameters maximum_retry_attempts (0 to {MAX_RETRY_ATTEMPTS}), "
        "maximum_record_age_in_seconds, on_partial_batch_item_failure=AUTOMATIC_BISECT and "
        "dead_letter_config=<SQS queue ARN>."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeSourceDynamoDBStreamParameters.html",
)
