"""Queued records are encrypted at rest."""

from pulumi_policy import Severity

from .._support import dig, is_true, resource_policy
from . import QUEUE


def _check(args):
    if not dig(args.props, "kmsMasterKeyId") and not is_true(
        dig(args.props, "sqsManagedSseEnabled")
    ):
        yield "neither kmsMasterKeyId nor sqsManagedSseEnabled is set."


POLICY = resource_policy(
    name="sqs-encryption",
    description="Failed stream records in the dead-letter queue hold message bodies.",
    resource_types=[QUEUE],
    checks="the queue is encrypted",
    remediation="set kms_master_key_id=<the stack's key> on prod, or sqs_managed_sse_enabled=True.",
    check=_check,
    severity=Severity.HIGH,
    tags=("encryption",),
    link="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
)
