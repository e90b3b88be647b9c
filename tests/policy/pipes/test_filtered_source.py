"""pipe-stream-filtered: a stream pipe has 1 to 5 filter patterns."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, PIPE

case = PolicyCase(__file__, PIPE)
FILTERS = "sourceParameters.filterCriteria.filters"


@pytest.mark.parametrize(
    "changes",
    [
        {"sourceParameters.filterCriteria": DELETE},
        {FILTERS: []},
        {FILTERS: [{"pattern": '{"eventName": ["INSERT"]}'}] * 6},
        {FILTERS: [{}]},
    ],
    ids=["no-criteria", "empty", "six", "no-pattern"],
)
def test_an_unfiltered_or_overfull_pipe_is_reported(changes):
    case.reports(changes)


def test_a_filtered_pipe_passes():
    case.accepts()


def test_the_filter_limit_is_awss():
    from chatspec.aws_limits import PIPES_FILTERS
    from policy.chat_policies.pipes import filtered_source

    assert PIPES_FILTERS.value == filtered_source.MAX_FILTERS
