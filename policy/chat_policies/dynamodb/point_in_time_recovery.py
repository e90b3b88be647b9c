"""Production tables can be restored to any second of the last 35 days."""

from .._support import dig, is_true, resource_policy
from ..environment import is_prod


def _check(args):
    if is_prod(args) and not is_true(dig(args.props, "pointInTimeRecovery.enabled")):
        yield "pointInTimeRecovery.enabled is not true on a production table."


POLICY = resource_policy(
    name="dynamodb-point-in-time-recovery",
    description=(
        "Without point-in-time recovery a bad deploy or a buggy Lambda that overwrites "
        "messages or memberships cannot be undone."
    ),
    resource_types=["aws:dynamodb/table:Table"],
    checks="a production table has point-in-time recovery",
    remediation="set point_in_time_recovery=TablePointInTimeRecoveryArgs(enabled=True).",
    check=_check,
)
