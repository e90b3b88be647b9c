"""A service allowed to invoke a function names the one resource it acts for."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import PERMISSION


def _check(args):
    principal = dig(args.props, "principal")
    if not isinstance(principal, str) or not principal.endswith(".amazonaws.com"):
        return
    if not dig(args.props, "sourceArn"):
        yield (
            f"the function may be invoked by {principal} for any resource of any account "
            "(no sourceArn)."
        )


POLICY = resource_policy(
    name="lambda-permission-source-arn",
    description=(
        "A permission for an AWS service principal without a source ARN lets that service "
        "invoke the function on behalf of any resource, another account's included (the "
        "confused deputy problem): a user pool elsewhere could run our trigger."
    ),
    resource_types=[PERMISSION],
    checks="a permission granted to an AWS service names the source resource (sourceArn)",
    remediation="set source_arn to the resource that invokes the function (the user pool's arn).",
    check=_check,
    severity=Severity.HIGH,
    tags=("least-privilege",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
)
