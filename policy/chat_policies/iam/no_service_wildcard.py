"""No statement allows a whole service (`dynamodb:*`)."""

from pulumi_policy import Severity

from .._support import resource_policy
from . import POLICY_TYPES, actions, allow_statements


def _check(args):
    for statement in allow_statements(args.props):
        for action in actions(statement):
            if action.endswith(":*"):
                yield f"statement allows the service wildcard {action!r}."


POLICY = resource_policy(
    name="iam-no-service-wildcard",
    description=(
        "A service wildcard such as dynamodb:* includes DeleteTable and UpdateTable; the "
        "data sources need a handful of item-level actions."
    ),
    resource_types=POLICY_TYPES,
    checks="no IAM statement allows a whole service",
    remediation="replace the wildcard with the item-level actions in use (GetItem, Query, ...).",
    check=_check,
    severity=Severity.HIGH,
    tags=("least-privilege",),
    link="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
)
