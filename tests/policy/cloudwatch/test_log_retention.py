"""cloudwatch-log-retention: log groups expire their events."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, LOG_GROUP

case = PolicyCase(__file__, LOG_GROUP)


@pytest.mark.parametrize("changes", [{"retentionInDays": DELETE}, {"retentionInDays": 0.0}])
def test_a_log_group_kept_forever_is_reported(changes):
    case.reports(changes, "dev")


def test_a_log_group_with_a_retention_passes():
    case.accepts({"retentionInDays": 7.0}, "dev")
