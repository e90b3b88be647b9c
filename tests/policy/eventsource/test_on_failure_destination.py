"""stream-mapping-on-failure-destination: exhausted records land where they can be replayed."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, MAPPING

case = PolicyCase(__file__, MAPPING)
BREAKS = [{"destinationConfig": DELETE}, {"destinationConfig.onFailure.destinationArn": ""}]
QUEUE_MAPPING = {"startingPosition": DELETE, "destinationConfig": DELETE}


@pytest.mark.parametrize("changes", BREAKS)
def test_a_mapping_without_a_failure_destination_is_reported(changes):
    case.reports(changes)


def test_a_mapping_with_a_dead_letter_queue_passes():
    case.accepts()


@pytest.mark.parametrize("changes", BREAKS)
def test_a_queue_mapping_is_left_to_the_queue(changes):
    case.accepts({**QUEUE_MAPPING, **changes})
