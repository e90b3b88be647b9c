"""appsync-query-limits-prod: production bounds query depth and resolvers per request."""

import pytest

from chatspec import aws_limits
from policy.chat_policies.appsync import query_limits
from tests.policy.policy_case import PolicyCase
from tests.policy.resources import API, DELETE

case = PolicyCase(__file__, API)
BREAKS = [
    {"queryDepthLimit": DELETE},
    {"queryDepthLimit": 0.0},
    {"queryDepthLimit": 76.0},
    {"resolverCountLimit": 20000.0},
]


@pytest.mark.parametrize("changes", BREAKS)
def test_an_unbounded_production_api_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_is_not_held_to_it(changes):
    case.accepts(changes, "dev")


def test_the_largest_limits_aws_takes_pass():
    case.accepts({"queryDepthLimit": 75.0, "resolverCountLimit": 10000.0})


def test_the_limits_are_awss():
    assert aws_limits.APPSYNC_QUERY_DEPTH_LIMIT.value == query_limits.MAX_QUERY_DEPTH
    assert aws_limits.APPSYNC_RESOLVER_COUNT_LIMIT.value == query_limits.MAX_RESOLVER_COUNT
