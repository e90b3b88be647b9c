"""Production uploads are encrypted with the stack's customer-managed KMS key."""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from ..environment import is_prod


def _check(args):
    rules = as_list(dig(args.props, "rules"))
    defaults = [dig(rule, "applyServerSideEncryptionByDefault") or {} for rule in rules]
    if not defaults:
        yield "no default encryption rule."
        return
    if is_prod(args) and not any(
        d.get("sseAlgorithm") in ("aws:kms", "aws:kms:dsse") and d.get("kmsMasterKeyId")
        for d in defaults
    ):
        yield "a production bucket is not encrypted with a customer-managed KMS key."


POLICY = resource_policy(
    name="s3-customer-managed-encryption",
    description=(
        "Production uploads are encrypted with the stack's own KMS key, so access can be "
        "audited and revoked apart from S3's keys."
    ),
    resource_types=[
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ],
    checks="a bucket has default encryption; in production with a customer-managed KMS key",
    remediation='set sse_algorithm="aws:kms" and kms_master_key_id=<the stack key arn>.',
    check=_check,
    severity=Severity.HIGH,
    tags=("encryption",),
    link="https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
)
