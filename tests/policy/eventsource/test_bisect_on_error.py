"""stream-mapping-bisect-on-error: a failing batch is split to isolate the bad record."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, MAPPING

case = PolicyCase(__file__, MAPPING)
BREAKS = [{"bisectBatchOnFunctionError": DELETE}, {"bisectBatchOnFunctionError": False}]
QUEUE_MAPPING = {"startingPosition": DELETE, "destinationConfig": DELETE}


@pytest.mark.parametrize("changes", BREAKS)
def test_a_mapping_that_does_not_bisect_is_reported(changes):
    case.reports(changes)


def test_a_bisecting_mapping_passes():
    case.accepts()


@pytest.mark.parametrize("changes", BREAKS)
def test_a_queue_mapping_is_left_to_the_queue(changes):
    case.accepts({**QUEUE_MAPPING, **changes})
