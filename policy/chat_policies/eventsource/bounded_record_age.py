"""A failing record is retried while the stream keeps it, but parked in time to redrive it."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from . import (
    MAPPING,
    MIN_RECORD_AGE_SECONDS,
    MIN_REDRIVE_WINDOW_SECONDS,
    STREAM_RETENTION_SECONDS,
    reads_a_stream,
)

MAX_AGE_SECONDS = STREAM_RETENTION_SECONDS - MIN_REDRIVE_WINDOW_SECONDS


def _check(args):
    if not reads_a_stream(args.props):
        return
    age = number(dig(args.props, "maximumRecordAgeInSeconds"))
    if age is None or age < MIN_RECORD_AGE_SECONDS or age > MAX_AGE_SECONDS:
        yield (
            f"maximumRecordAgeInSeconds is {age}; the default (-1) retries until the stream"
            " drops the record, so its pointer reaches the failure queue when nothing can be"
            " re-read any more."
        )


POLICY = resource_policy(
    name="stream-mapping-bounded-record-age",
    description=(
        "A record older than the stream's retention (24 h) is gone: the age limit must park a "
        "failing record's pointer early enough to redrive it from the stream."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping bounds record age below the stream's retention",
    remediation=(
        f"set maximum_record_age_in_seconds between {MIN_RECORD_AGE_SECONDS} and"
        f" {MAX_AGE_SECONDS} (retention less a {MIN_REDRIVE_WINDOW_SECONDS} s redrive window)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html",
)
