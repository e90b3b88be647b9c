"""The domain publishes its error logs to CloudWatch."""

from pulumi_policy import Severity

from .._support import as_list, is_true, resource_policy
from . import DOMAIN

REQUIRED_LOG_TYPE = "ES_APPLICATION_LOGS"


def _check(args):
    published = {
        option.get("logType")
        for option in as_list(args.props.get("logPublishingOptions"))
        if option.get("cloudwatchLogGroupArn") and is_true(option.get("enabled", True))
    }
    if REQUIRED_LOG_TYPE not in published:
        yield f"logPublishingOptions does not publish {REQUIRED_LOG_TYPE} to a log group."


POLICY = resource_policy(
    name="opensearch-logs-enabled",
    description=(
        "Without application logs a failing bulk index or a rejected query leaves no trace "
        "outside the domain."
    ),
    resource_types=[DOMAIN],
    checks="the search domain publishes its application logs",
    remediation=(
        "add log_publishing_options=[DomainLogPublishingOptionArgs(log_type="
        '"ES_APPLICATION_LOGS", cloudwatch_log_group_arn=<a log group with retention>)] and a '
        "log resource policy that lets es.amazonaws.com write to it."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("logging",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html",
)
