"""Resolver errors reach CloudWatch Logs."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import API

LOGGING_LEVELS = frozenset({"ERROR", "ALL", "INFO", "DEBUG"})


def _check(args):
    level = dig(args.props, "logConfig.fieldLogLevel")
    if level not in LOGGING_LEVELS:
        yield f"logConfig.fieldLogLevel is {level!r}: resolver errors are not logged."
    if not dig(args.props, "logConfig.cloudwatchLogsRoleArn"):
        yield "logConfig.cloudwatchLogsRoleArn is missing: AppSync cannot write its logs."


POLICY = resource_policy(
    name="appsync-logging-enabled",
    description=(
        "A failing VTL template returns a generic error to the client; its details exist "
        "only in the API's CloudWatch logs."
    ),
    resource_types=[API],
    checks="the API writes resolver logs",
    remediation=(
        'set log_config=GraphQLApiLogConfigArgs(field_log_level="ERROR", '
        "cloudwatch_logs_role_arn=<role trusted by appsync.amazonaws.com>, "
        "exclude_verbose_content=True)."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("logging",),
    link="https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html#cwl",
)
