"""Every Lambda writes to a log group this stack manages (and so gives a retention)."""

from pulumi_policy import Severity

from .._support import dig, stack_policy
from . import known_strings, of_type


def _check(args):
    groups = known_strings(of_type(args, "aws:cloudwatch/logGroup:LogGroup"), "name")
    for function in of_type(args, "aws:lambda/function:Function"):
        name = function.props.get("name") or function.name
        target = dig(function.props, "loggingConfig.logGroup") or f"/aws/lambda/{name}"
        if target not in groups:
            yield (
                f"function {name!r} logs to {target!r}, which this stack does not create.",
                function.urn,
            )


POLICY = stack_policy(
    name="lambda-log-group",
    description=(
        "A log group Lambda creates on first call keeps logs forever and outlives the "
        "stack; create it in the program, with a retention, before the function."
    ),
    checks="every Lambda has a managed log group",
    remediation=(
        'add LogGroup(name=f"/aws/lambda/{function name}", retention_in_days=...) and make the '
        "function depend on it (or point logging_config.log_group at it)."
    ),
    check=_check,
    severity=Severity.LOW,
    tags=("logging", "cost"),
    link="https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html",
)
