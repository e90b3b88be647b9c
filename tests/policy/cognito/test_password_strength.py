"""cognito-password-strength: 8+ mixed characters everywhere, 12+ in production."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import POOL

case = PolicyCase(__file__, POOL)


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize(
    "changes",
    [{"passwordPolicy.minimumLength": 6.0}, {"passwordPolicy.requireNumbers": False}],
)
def test_a_weak_policy_is_reported_on_every_stack(changes, stack):
    case.reports(changes, stack)


def test_ten_characters_are_enough_for_dev_only():
    case.reports({"passwordPolicy.minimumLength": 10.0}, "prod")
    case.accepts({"passwordPolicy.minimumLength": 10.0}, "dev")


def test_twelve_mixed_characters_pass():
    case.accepts()
