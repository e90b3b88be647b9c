"""iam-no-star-action: no statement allows every action of every service."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import ROLE_POLICY, policy_document

case = PolicyCase(__file__, ROLE_POLICY)


def test_action_star_is_reported():
    case.reports({"policy": policy_document(Action="*")})


def test_action_star_in_a_roles_inline_policy_is_reported():
    role = {"inlinePolicies": [{"name": "all", "policy": policy_document(Action=["*"])}]}
    case.reports({"policy": policy_document(), **role})


def test_named_actions_pass():
    case.accepts()
