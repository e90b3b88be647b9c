"""cognito-deletion-protection-prod: the production user pool cannot be deleted by accident."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import POOL

case = PolicyCase(__file__, POOL)


def test_a_production_pool_without_deletion_protection_is_reported():
    case.reports({"deletionProtection": "INACTIVE"})


def test_a_production_pool_without_pulumi_protect_is_reported():
    case.reports({}, protect=False)


def test_dev_pools_may_be_deleted():
    case.accepts({"deletionProtection": "INACTIVE"}, "dev", protect=False)


def test_a_protected_production_pool_passes():
    case.accepts()
