"""Every key says what it protects."""

from pulumi_policy import Severity

from .._support import ADVISORY, dig, resource_policy
from . import KEY


def _check(args):
    description = dig(args.props, "description")
    if not isinstance(description, str) or not description.strip():
        yield "description is empty."


POLICY = resource_policy(
    name="kms-key-description",
    description=(
        "A key without a description cannot be safely disabled or scheduled for deletion "
        "by someone who did not create it."
    ),
    resource_types=[KEY],
    checks="the KMS key has a description",
    remediation='set description="realtime-chat <stack>: DynamoDB, OpenSearch, SQS and logs".',
    check=_check,
    severity=Severity.LOW,
    tags=("documentation",),
    link="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html",
    enforcement_level=ADVISORY,
)
