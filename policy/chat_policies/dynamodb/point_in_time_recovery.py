"""Production tables can be restored to any second of the last 35 days."""

from pulumi_policy import Severity

from .._support import require_true, resource_policy
from ..environment import is_prod

POLICY = resource_policy(
    name="dynamodb-point-in-time-recovery",
    description=(
        "Without point-in-time recovery a bad deploy or a buggy Lambda that overwrites "
        "messages or memberships cannot be undone."
    ),
    resource_types=["aws:dynamodb/table:Table"],
    checks="a production table has point-in-time recovery",
    remediation="set point_in_time_recovery=TablePointInTimeRecoveryArgs(enabled=True).",
    check=require_true(
        "pointInTimeRecovery.enabled", applies=is_prod, where=" on a production table"
    ),
    severity=Severity.HIGH,
    tags=("backup",),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html",
)
