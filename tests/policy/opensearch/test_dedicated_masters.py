"""opensearch-dedicated-masters-prod: production search has an odd quorum of masters."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DOMAIN

case = PolicyCase(__file__, DOMAIN)
BREAKS = [
    {"clusterConfig.dedicatedMasterEnabled": False},
    {"clusterConfig.dedicatedMasterCount": 2.0},
    {"clusterConfig.dedicatedMasterCount": 1.0},
]


@pytest.mark.parametrize("changes", BREAKS)
def test_a_production_domain_without_a_master_quorum_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_may_run_without_masters(changes):
    case.accepts(changes, "dev")


@pytest.mark.parametrize("count", [3.0, 5.0])
def test_three_or_five_masters_pass(count):
    case.accepts({"clusterConfig.dedicatedMasterCount": count})
