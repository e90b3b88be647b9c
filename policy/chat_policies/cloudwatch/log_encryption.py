"""Production logs (which carry request data) are encrypted with the stack's key."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from ..environment import is_prod
from . import LOG_GROUP


def _check(args):
    if is_prod(args) and not dig(args.props, "kmsKeyId"):
        yield "the production log group has no kmsKeyId."


POLICY = resource_policy(
    name="cloudwatch-log-group-encrypted-prod",
    description=(
        "Resolver and Lambda logs can hold message text and user ids; in production they are "
        "encrypted with the customer-managed key, so access follows the key policy."
    ),
    resource_types=[LOG_GROUP],
    checks="every production log group has a KMS key",
    remediation=(
        "pass kms_key_id=<the stack's key ARN> and allow logs.<region>.amazonaws.com in the "
        "key policy with the kms:EncryptionContext:aws:logs:arn condition."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("encryption", "logging"),
    link="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
)
