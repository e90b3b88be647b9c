"""dynamodb-deletion-protection: production tables survive an accidental delete."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import TABLE

case = PolicyCase(__file__, TABLE)


def test_a_production_table_without_deletion_protection_is_reported():
    case.reports({"deletionProtectionEnabled": False})


def test_a_production_table_without_pulumi_protect_is_reported():
    case.reports({}, protect=False)


def test_dev_tables_may_be_deleted():
    case.accepts({"deletionProtectionEnabled": False}, "dev", protect=False)


def test_a_protected_production_table_passes():
    case.accepts()
