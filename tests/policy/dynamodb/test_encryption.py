"""dynamodb-customer-managed-encryption: production tables use the stack's own KMS key."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, TABLE

case = PolicyCase(__file__, TABLE)
BREAKS = [{"serverSideEncryption.enabled": False}, {"serverSideEncryption.kmsKeyArn": DELETE}]


@pytest.mark.parametrize("changes", BREAKS)
def test_a_production_table_without_the_stack_key_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_tables_may_use_aws_owned_keys(changes):
    case.accepts(changes, "dev")


def test_a_production_table_with_the_stack_key_passes():
    case.accepts()
