"""A stream mapping starts with the oldest record the stream keeps."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import MAPPING, reads_a_stream


def _check(args):
    if not reads_a_stream(args.props):
        return
    position = dig(args.props, "startingPosition")
    if position != "TRIM_HORIZON":
        yield (
            f"startingPosition is {position}; LATEST skips every record written before the"
            " mapping existed (or while it is recreated), and those messages never reach search."
        )


POLICY = resource_policy(
    name="stream-mapping-trim-horizon",
    description=(
        "A mapping that starts at LATEST misses what the table wrote before it existed, "
        "e.g. while a stack is first deployed or the mapping is replaced."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping starts at TRIM_HORIZON",
    remediation='set starting_position="TRIM_HORIZON" (versioned writes make re-reads safe).',
    check=_check,
    severity=Severity.MEDIUM,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html",
)
