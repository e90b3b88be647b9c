"""A failing record is retried a bounded number of times."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from . import MAPPING, MAX_RETRY_ATTEMPTS, reads_a_stream


def _check(args):
    if not reads_a_stream(args.props):
        return
    retries = number(dig(args.props, "maximumRetryAttempts"))
    if retries is None or retries < 0 or retries > MAX_RETRY_ATTEMPTS:
        yield f"maximumRetryAttempts is {retries}; stream mappings retry forever by default."


POLICY = resource_policy(
    name="stream-mapping-bounded-retries",
    description=(
        "A stream mapping retries a failing batch until the records expire (24 h), "
        "blocking the shard and then dropping them; retries must be bounded."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping bounds its retries",
    remediation=(
        f"set maximum_retry_attempts between 0 and {MAX_RETRY_ATTEMPTS}; the record age limit"
        " decides how long an outage is retried."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html",
)
