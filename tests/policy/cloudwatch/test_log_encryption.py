"""cloudwatch-log-group-encrypted-prod: production logs are encrypted with the stack's key."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, LOG_GROUP

case = PolicyCase(__file__, LOG_GROUP)


def test_a_production_log_group_without_a_key_is_reported():
    case.reports({"kmsKeyId": DELETE})


def test_dev_logs_may_use_the_default_encryption():
    case.accepts({"kmsKeyId": DELETE}, "dev")


def test_a_production_log_group_with_the_key_passes():
    case.accepts()
