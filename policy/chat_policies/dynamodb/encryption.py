"""Production tables are encrypted with the stack's customer-managed KMS key."""

from pulumi_policy import Severity

from .._support import dig, is_true, resource_policy
from ..environment import is_prod


def _check(args):
    if not is_prod(args):
        return
    if not is_true(dig(args.props, "serverSideEncryption.enabled")):
        yield "serverSideEncryption.enabled is not true on a production table."
    elif not dig(args.props, "serverSideEncryption.kmsKeyArn"):
        yield "serverSideEncryption has no kmsKeyArn: the table uses the AWS managed key."


POLICY = resource_policy(
    name="dynamodb-customer-managed-encryption",
    description=(
        "Production chat data is encrypted with the stack's own KMS key, so that access to "
        "it can be audited and revoked independently of AWS-owned keys."
    ),
    resource_types=["aws:dynamodb/table:Table"],
    checks="a production table is encrypted with a customer-managed KMS key",
    remediation=(
        "set server_side_encryption=TableServerSideEncryptionArgs(enabled=True, "
        "kms_key_arn=<the stack's KMS key arn>)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("encryption",),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
)
