"""lambda-log-group: every Lambda writes to a log group this stack manages."""

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import replaced, whole_stack, without

case = PolicyCase(__file__)


def test_a_function_without_its_log_group_is_reported():
    [finding] = case.reports(without(whole_stack(), "rooms-logs"))
    assert finding.resource_name == "rooms"


def test_a_function_pointed_at_another_log_group_is_reported():
    stack = replaced(whole_stack(), "rooms", inputs={"loggingConfig": {"logGroup": "/chat/other"}})
    case.reports(stack)


def test_a_stack_that_creates_every_log_group_passes():
    case.accepts(whole_stack())
