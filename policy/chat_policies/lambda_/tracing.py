"""Every Lambda sends X-Ray traces."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import FUNCTION


def _check(args):
    mode = dig(args.props, "tracingConfig.mode")
    if mode != "Active":
        yield f"tracingConfig.mode is {mode!r}, not 'Active'."


POLICY = resource_policy(
    name="lambda-tracing-active",
    description=(
        "The Lambdas call DynamoDB and OpenSearch; without active tracing a slow join or "
        "search shows up only as a slow resolver."
    ),
    resource_types=[FUNCTION],
    checks="the function has active X-Ray tracing",
    remediation='set tracing_config=FunctionTracingConfigArgs(mode="Active").',
    check=_check,
    severity=Severity.LOW,
    tags=("tracing",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
)
