"""cognito-usernames-case-insensitive: Alice@example.com and alice@example.com are one user."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, POOL

case = PolicyCase(__file__, POOL)


@pytest.mark.parametrize(
    "changes",
    [{"usernameConfiguration": DELETE}, {"usernameConfiguration.caseSensitive": True}],
)
def test_a_case_sensitive_pool_is_reported(changes):
    case.reports(changes, "dev")


def test_a_case_insensitive_pool_passes():
    case.accepts()
