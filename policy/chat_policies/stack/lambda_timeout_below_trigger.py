"""A Lambda behind AppSync finishes before AppSync gives up on it."""

from pulumi_policy import Severity

from .._support import dig, number, stack_policy
from . import of_type

APPSYNC_LIMIT_SECONDS = 30
"""How long AppSync waits for a data source (chatspec.aws_limits.APPSYNC_RESOLVER_TIMEOUT)."""
LAMBDA_DEFAULT_TIMEOUT = 3


def _check(args):
    by_arn = {}
    for function in of_type(args, "aws:lambda/function:Function"):
        for key in ("arn", "invokeArn", "name"):
            value = function.props.get(key)
            if isinstance(value, str):
                by_arn[value] = function
    for source in of_type(args, "aws:appsync/dataSource:DataSource"):
        if source.props.get("type") != "AWS_LAMBDA":
            continue
        target = by_arn.get(str(dig(source.props, "lambdaConfig.functionArn")))
        if target is None:
            continue
        function = target
        timeout = number(function.props.get("timeout")) or LAMBDA_DEFAULT_TIMEOUT
        if timeout >= APPSYNC_LIMIT_SECONDS:
            yield (
                f"function {function.name!r} times out after {timeout:g} s but serves AppSync "
                f"data source {source.props.get('name')!r}, which gives up after "
                f"{APPSYNC_LIMIT_SECONDS} s.",
                function.urn,
            )


POLICY = stack_policy(
    name="lambda-timeout-below-trigger",
    description=(
        "AppSync abandons a Lambda resolver after 30 s; a longer function timeout keeps "
        "running (and billing) after the client already got an error."
    ),
    checks="every Lambda's timeout is below its trigger's limit",
    remediation=(
        f"set timeout below {APPSYNC_LIMIT_SECONDS} s (the spec's timeout_seconds) for "
        "resolver Lambdas."
    ),
    check=_check,
    severity=Severity.LOW,
    tags=("cost", "reliability"),
    link="https://docs.aws.amazon.com/general/latest/gr/appsync.html",
)
