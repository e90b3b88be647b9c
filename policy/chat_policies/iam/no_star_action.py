"""No statement allows every action of every service."""

from pulumi_policy import Severity

from .._support import resource_policy
from . import POLICY_TYPES, actions, allow_statements


def _check(args):
    for statement in allow_statements(args.props):
        if "*" in actions(statement):
            yield f'statement {statement.get("Sid", "")!r} allows Action "*".'


POLICY = resource_policy(
    name="iam-no-star-action",
    description="Action * turns any bug in a Lambda or a template into full account access.",
    resource_types=POLICY_TYPES,
    checks="no IAM statement allows every action",
    remediation="list the exact actions the templates or handler use (see chatspec.iam).",
    check=_check,
    severity=Severity.CRITICAL,
    tags=("least-privilege",),
    link="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
)
