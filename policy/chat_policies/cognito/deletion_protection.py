"""The production user pool cannot be deleted by accident."""

from pulumi_policy import Severity

from .._support import dig, lacks_protect, resource_policy
from ..environment import is_prod
from . import USER_POOL


def _check(args):
    if not is_prod(args):
        return
    if dig(args.props, "deletionProtection") != "ACTIVE":
        yield "deletionProtection is not ACTIVE on the production user pool."
    if lacks_protect(args):
        yield "the resource option protect is not set on the production user pool."


POLICY = resource_policy(
    name="cognito-deletion-protection-prod",
    description=(
        "Deleting the user pool deletes every account and changes every user id, orphaning "
        "all memberships and messages."
    ),
    resource_types=[USER_POOL],
    checks="the production user pool is protected from deletion",
    remediation='set deletion_protection="ACTIVE" and opts=ResourceOptions(protect=True).',
    check=_check,
    severity=Severity.HIGH,
    tags=("deletion",),
    link="https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html",
)
