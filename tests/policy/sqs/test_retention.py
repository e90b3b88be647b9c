"""sqs-retention: dead letters are kept at least 4 days, set explicitly."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, QUEUE

case = PolicyCase(__file__, QUEUE)


@pytest.mark.parametrize("retention", [3600.0, 345599.0, DELETE])
def test_a_short_or_default_retention_is_reported(retention):
    case.reports({"messageRetentionSeconds": retention})


@pytest.mark.parametrize("retention", [345600.0, 1209600.0])
def test_four_days_or_more_pass(retention):
    case.accepts({"messageRetentionSeconds": retention})
