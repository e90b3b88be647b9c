"""appsync-waf-prod: the production API sits behind a rate-limiting WAF web ACL."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import replaced, whole_stack, without

case = PolicyCase(__file__)


@pytest.mark.parametrize(
    "stack",
    [without(whole_stack(), "acl-api"), replaced(whole_stack(), "acl", inputs={"rules": []})],
    ids=["no-association", "no-rate-rule"],
)
def test_a_production_api_without_a_rate_limit_is_reported(stack):
    case.reports(stack)


def test_dev_needs_no_waf():
    case.accepts(without(whole_stack("dev"), "acl-api"), "dev")


def test_a_production_api_behind_a_rate_rule_passes():
    case.accepts(whole_stack())
