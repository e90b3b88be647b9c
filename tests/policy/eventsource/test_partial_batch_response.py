"""stream-mapping-partial-batch-response: the handler reports which records failed."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, MAPPING

case = PolicyCase(__file__, MAPPING)
BREAKS = [{"functionResponseTypes": []}, {"functionResponseTypes": DELETE}]
QUEUE_MAPPING = {"startingPosition": DELETE, "destinationConfig": DELETE}


@pytest.mark.parametrize("changes", BREAKS)
def test_a_mapping_without_partial_responses_is_reported(changes):
    case.reports(changes)


def test_a_mapping_with_partial_responses_passes():
    case.accepts()


@pytest.mark.parametrize("changes", BREAKS)
def test_a_queue_mapping_is_left_to_the_queue(changes):
    case.accepts({**QUEUE_MAPPING, **changes})
