"""dynamodb-stream-where-indexed: a stream mapping reads an enabled stream of this stack."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import replaced, whole_stack

case = PolicyCase(__file__)


@pytest.mark.parametrize(
    "stack",
    [
        replaced(whole_stack(), "messages", inputs={"streamEnabled": False}),
        replaced(whole_stack(), "messages", outputs={}),
    ],
    ids=["stream-off", "another-stacks-stream"],
)
def test_a_mapping_on_no_enabled_stream_is_reported(stack):
    [finding] = case.reports(stack)
    assert finding.resource_name == "indexer"


def test_a_mapping_on_the_tables_stream_passes():
    case.accepts(whole_stack())
