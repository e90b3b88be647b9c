"""A production bus keeps an archive of its events for replay."""

from pulumi_policy import Severity

from .._support import number, stack_policy
from ..environment import stack_is_prod
from ..stack import known_strings, of_type
from . import ARCHIVE, BUS


def _check(args):
    if not stack_is_prod(args):
        return
    archives = list(of_type(args, ARCHIVE))
    archived = known_strings(archives, "eventSourceArn")
    for bus in of_type(args, BUS):
        arn = bus.props.get("arn")
        if not archives or (isinstance(arn, str) and arn not in archived):
            yield f"bus {bus.name!r} has no archive: its events cannot be replayed.", bus.urn
    for archive in archives:
        days = number(archive.props.get("retentionDays"))
        if days is not None and days < 1:
            yield f"archive {archive.name!r} keeps events for {days} days.", archive.urn


POLICY = stack_policy(
    name="event-bus-archive-prod",
    description=(
        "Consumers of chat events (search, analytics, moderation) that miss events after "
        "an outage or a bug can only catch up from an archive of the production bus."
    ),
    checks="every production bus is archived with a retention of at least a day",
    remediation=(
        "create an aws.cloudwatch.EventArchive with event_source_arn=<bus arn> and "
        "retention_days > 0 (stack setting events.archiveRetentionDays)."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("backup", "reliability"),
    link="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html",
)
