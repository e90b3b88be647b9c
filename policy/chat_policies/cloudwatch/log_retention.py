"""Log groups expire their events."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from . import LOG_GROUP


def _check(args):
    days = number(dig(args.props, "retentionInDays"))
    if days is None or days <= 0:
        yield "retentionInDays is not set: the logs are kept (and billed) forever."


POLICY = resource_policy(
    name="cloudwatch-log-retention",
    description=(
        "Logs hold user ids and message metadata; keeping them forever costs money and "
        "widens what a leak exposes."
    ),
    resource_types=[LOG_GROUP],
    checks="the log group has a retention",
    remediation=(
        "set retention_in_days (the stack's logRetentionDays setting, e.g. 7 on dev, 90 on prod)."
    ),
    check=_check,
    severity=Severity.LOW,
    tags=("logging", "cost"),
    link="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
)
