"""cognito-mfa-prod: production users can (or must) use a TOTP second factor."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import POOL

case = PolicyCase(__file__, POOL)
BREAKS = [{"mfaConfiguration": "OFF"}, {"softwareTokenMfaConfiguration.enabled": False}]


@pytest.mark.parametrize("changes", BREAKS)
def test_a_production_pool_without_totp_mfa_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_is_not_held_to_it(changes):
    case.accepts(changes, "dev")


@pytest.mark.parametrize("mode", ["ON", "OPTIONAL"])
def test_required_or_optional_totp_passes(mode):
    case.accepts({"mfaConfiguration": mode})
