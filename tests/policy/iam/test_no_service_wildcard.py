"""iam-no-service-wildcard: no statement allows a whole service."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import ROLE_POLICY, policy_document

case = PolicyCase(__file__, ROLE_POLICY)


@pytest.mark.parametrize("action", ["dynamodb:*", ["dynamodb:GetItem", "sqs:*"]])
def test_a_service_wildcard_is_reported(action):
    case.reports({"policy": policy_document(Action=action)})


def test_item_level_actions_pass():
    case.accepts()


def test_a_denied_wildcard_is_not_a_grant():
    case.accepts({"policy": policy_document(Effect="Deny", Action="dynamodb:*")})
