"""Production tables survive an accidental delete, from the console or from Pulumi."""

from .._support import dig, is_true, resource_policy
from ..environment import is_prod


def _check(args):
    if not is_prod(args):
        return
    if not is_true(dig(args.props, "deletionProtectionEnabled")):
        yield "deletionProtectionEnabled is not true on a production table."
    if args.opts is not None and not args.opts.protect:
        yield "the resource option protect is not set on a production table."


POLICY = resource_policy(
    name="dynamodb-deletion-protection",
    description=(
        "Deleting a production table loses every message; both AWS deletion protection and "
        "Pulumi's protect option must stand in the way."
    ),
    resource_types=["aws:dynamodb/table:Table"],
    checks="a production table is protected from deletion",
    remediation=(
        "set deletion_protection_enabled=True and opts=ResourceOptions(protect=True, "
        "retain_on_delete=True)."
    ),
    check=_check,
)
