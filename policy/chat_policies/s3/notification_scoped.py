"""Bucket notifications to Lambda name only object-created events under a key prefix.

A notification without a prefix also fires for what the function writes itself (the
check's thumbnails), which invokes it again for every object it creates: a loop that AWS
documents as the classic recursive-invocation mistake. Other event types (removals,
restores) are not what a check needs and only cost invocations.
"""

from pulumi_policy import Severity

from .._support import resource_policy
from . import NOTIFICATION


def _check(args):
    for target in args.props.get("lambdaFunctions") or []:
        arn = target.get("lambdaFunctionArn", "?")
        if not target.get("filterPrefix"):
            yield f"the notification to {arn} has no filterPrefix: its own writes invoke it."
        events = target.get("events") or []
        if not events or any(not str(e).startswith("s3:ObjectCreated:") for e in events):
            yield f"the notification to {arn} names events other than s3:ObjectCreated:*: {events}."


POLICY = resource_policy(
    name="s3-notification-scoped",
    description="A notification without a key prefix re-invokes a function for its own writes.",
    resource_types=[NOTIFICATION],
    checks="every Lambda target of a bucket notification has a filterPrefix and only "
    "s3:ObjectCreated:* events",
    remediation='set filter_prefix (uploads/) and events=["s3:ObjectCreated:*"]; write '
    "derived objects under another prefix.",
    check=_check,
    severity=Severity.HIGH,
    tags=("cost", "reliability"),
    link="https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html",
)
