"""A pipe on a stream filters its records: what is never an event costs nothing."""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import PIPE, reads_a_dynamodb_stream

MAX_FILTERS = 5
"""Patterns one FilterCriteria takes (chatspec.aws_limits.PIPES_FILTERS)."""


def _check(args):
    if not reads_a_dynamodb_stream(args.props):
        return
    filters = as_list(dig(args.props, "sourceParameters.filterCriteria.filters"))
    if not filters:
        yield "no filterCriteria: every write (read markers, counters) is enriched and sent."
    elif len(filters) > MAX_FILTERS:
        yield f"{len(filters)} filters; Pipes takes at most {MAX_FILTERS}."
    elif not all(dig(f, "pattern") for f in filters):
        yield "a filter has no pattern."


POLICY = resource_policy(
    name="pipe-stream-filtered",
    description=(
        "The chat tables' streams carry every write; a pipe without a filter pays an "
        "enrichment invocation and a bus event for each read marker and counter update."
    ),
    resource_types=[PIPE],
    checks="a stream pipe has 1 to 5 filter patterns",
    remediation=(
        "set source_parameters.filter_criteria.filters to the patterns of chatspec.events "
        "(at most 5 per pipe)."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("cost",),
    link="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html",
)
