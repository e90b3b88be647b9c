"""opensearch-zone-awareness-prod: production search survives the loss of a zone."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DOMAIN

case = PolicyCase(__file__, DOMAIN)
BREAKS = [
    {"clusterConfig.zoneAwarenessEnabled": False},
    {"clusterConfig.zoneAwarenessConfig.availabilityZoneCount": 1.0},
]


@pytest.mark.parametrize("changes", BREAKS)
def test_a_single_zone_production_domain_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_may_run_in_one_zone(changes):
    case.accepts(changes, "dev")


def test_a_domain_over_three_zones_passes():
    case.accepts()
