"""Records too old to be worth indexing are sent to the failure destination."""

from .._support import dig, number, resource_policy
from . import MAPPING, reads_a_stream

MAX_AGE_SECONDS = 6 * 3600


def _check(args):
    if not reads_a_stream(args.props):
        return
    age = number(dig(args.props, "maximumRecordAgeInSeconds"))
    if age is None or age < 60 or age > MAX_AGE_SECONDS:
        yield f"maximumRecordAgeInSeconds is {age}; the default (-1) keeps records until expiry."


POLICY = resource_policy(
    name="stream-mapping-bounded-record-age",
    description=(
        "Without a record age limit a stuck shard delays every later message's indexing "
        "for up to a day."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping bounds record age",
    remediation=f"set maximum_record_age_in_seconds between 60 and {MAX_AGE_SECONDS} (e.g. 3600).",
    check=_check,
)
