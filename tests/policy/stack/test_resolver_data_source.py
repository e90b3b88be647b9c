"""appsync-resolver-data-source-exists: every resolver reaches what it runs."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import replaced, whole_stack, without

case = PolicyCase(__file__)


@pytest.mark.parametrize(
    "stack",
    [
        without(whole_stack(), "ds-members"),
        without(whole_stack(), "fn-membership"),
        without(whole_stack(), "ds-rooms"),
        replaced(whole_stack(), "r-join", inputs={"pipelineConfig": {"functions": []}}),
    ],
    ids=["pipeline-function-source", "pipeline-function", "unit-source", "empty-pipeline"],
)
def test_a_resolver_reaching_nothing_is_reported(stack):
    case.reports(stack)


def test_a_stack_whose_resolvers_all_connect_passes():
    case.accepts(whole_stack())
