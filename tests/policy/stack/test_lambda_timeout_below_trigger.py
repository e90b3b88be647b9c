"""lambda-timeout-below-trigger: a Lambda behind AppSync ends before AppSync gives up."""

import pytest

from chatspec import aws_limits
from policy.chat_policies.stack import lambda_timeout_below_trigger
from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import replaced, whole_stack

case = PolicyCase(__file__)


@pytest.mark.parametrize("timeout", [30.0, 900.0])
def test_a_resolver_lambda_outliving_appsync_is_reported(timeout):
    [finding] = case.reports(replaced(whole_stack(), "rooms", inputs={"timeout": timeout}))
    assert finding.resource_name == "rooms"


def test_a_resolver_lambda_within_the_limit_passes():
    case.accepts(replaced(whole_stack(), "rooms", inputs={"timeout": 29.0}))


def test_the_limit_is_awss():
    limit = lambda_timeout_below_trigger.APPSYNC_LIMIT_SECONDS
    assert limit == aws_limits.APPSYNC_RESOLVER_TIMEOUT.value
