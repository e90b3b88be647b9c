"""Production tables survive an accidental delete, from the console or from Pulumi."""

from pulumi_policy import Severity

from .._support import dig, is_true, lacks_protect, resource_policy
from ..environment import is_prod


def _check(args):
    if not is_prod(args):
        return
    if not is_true(dig(args.props, "deletionProtectionEnabled")):
        yield "deletionProtectionEnabled is not true on a production table."
    if lacks_protect(args):
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
    severity=Severity.HIGH,
    tags=("deletion", "backup"),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection",
)
