"""The production user pool cannot be deleted by accident."""

from .._support import dig, resource_policy
from ..environment import is_prod
from . import USER_POOL


def _check(args):
    if not is_prod(args):
        return
    if dig(args.props, "deletionProtection") != "ACTIVE":
        yield "deletionProtection is not ACTIVE on the production user pool."
    if args.opts is not None and not args.opts.protect:
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
)
