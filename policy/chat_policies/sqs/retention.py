"""Dead letters are kept long enough for someone to look at them."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from . import QUEUE

MIN_RETENTION_SECONDS = 4 * 24 * 3600


def _check(args):
    retention = number(dig(args.props, "messageRetentionSeconds"))
    if retention is None or retention < MIN_RETENTION_SECONDS:
        yield (
            f"messageRetentionSeconds is {retention}; at least {MIN_RETENTION_SECONDS} "
            "(4 days) must be set explicitly."
        )


POLICY = resource_policy(
    name="sqs-retention",
    description=(
        "A failure on Friday evening must still be replayable on Monday; set the retention "
        "explicitly so that it is reviewed."
    ),
    resource_types=[QUEUE],
    checks="the queue retains messages long enough",
    remediation=(
        "set message_retention_seconds=1209600 (14 days, the maximum) on dead-letter queues."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
)
