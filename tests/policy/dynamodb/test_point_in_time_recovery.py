"""dynamodb-point-in-time-recovery: production tables can be restored to any second."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, TABLE

case = PolicyCase(__file__, TABLE)
BREAKS = [{"pointInTimeRecovery.enabled": False}, {"pointInTimeRecovery": DELETE}]


@pytest.mark.parametrize("changes", BREAKS)
def test_a_production_table_without_recovery_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_tables_need_no_recovery(changes):
    case.accepts(changes, "dev")


def test_a_recoverable_production_table_passes():
    case.accepts()
