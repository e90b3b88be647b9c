"""Every table has an alarm on throttled requests."""

from pulumi_policy import Severity

from .._support import as_list, dig, stack_policy
from . import of_type

THROTTLE_METRICS = frozenset({"ThrottledRequests", "ReadThrottleEvents", "WriteThrottleEvents"})


def _metrics(alarm):
    yield alarm.props
    for query in as_list(alarm.props.get("metricQueries")):
        yield dig(query, "metric") or {}


def _watched_tables(args) -> set[str]:
    watched: set[str] = set()
    for alarm in of_type(args, "aws:cloudwatch/metricAlarm:MetricAlarm"):
        for metric in _metrics(alarm):
            if (
                metric.get("namespace") == "AWS/DynamoDB"
                and metric.get("metricName") in THROTTLE_METRICS
            ):
                table = dig(metric, "dimensions.TableName")
                if table:
                    watched.add(table)
    return watched


def _check(args):
    watched = _watched_tables(args)
    for table in of_type(args, "aws:dynamodb/table:Table"):
        name = table.props.get("name") or table.name
        if name not in watched:
            yield f"table {name!r} has no alarm on {sorted(THROTTLE_METRICS)}.", table.urn


POLICY = stack_policy(
    name="dynamodb-throttle-alarm",
    description=(
        "On-demand tables still throttle on a hot partition (1,000 writes/s); nobody "
        "notices until messages fail to send unless an alarm fires."
    ),
    checks="every table has a throttling alarm",
    remediation=(
        'add a MetricAlarm with namespace="AWS/DynamoDB", metric_name="ThrottledRequests" '
        '(or Read/WriteThrottleEvents) and dimensions={"TableName": <table name>}.'
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("monitoring",),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html",
)
