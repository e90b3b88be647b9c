"""A rule's target has a retry policy and a dead-letter queue."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from . import TARGET


def _check(args):
    retries = number(dig(args.props, "retryPolicy.maximumRetryAttempts"))
    age = number(dig(args.props, "retryPolicy.maximumEventAgeInSeconds"))
    if retries is None or age is None:
        yield "no retryPolicy with maximumRetryAttempts and maximumEventAgeInSeconds."
    if not dig(args.props, "deadLetterConfig.arn"):
        yield "no deadLetterConfig: an event the target keeps refusing is dropped silently."


POLICY = resource_policy(
    name="event-target-dead-letter",
    description=(
        "EventBridge drops an event its target keeps failing on after the retry policy; "
        "without a dead-letter queue nobody learns which notifications were lost."
    ),
    resource_types=[TARGET],
    checks="every rule target has a retry policy and a dead-letter queue",
    remediation=(
        "set retry_policy (maximum_retry_attempts, maximum_event_age_in_seconds) and "
        "dead_letter_config=<SQS queue ARN> on the aws.cloudwatch.EventTarget."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html",
)
