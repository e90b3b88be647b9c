"""stream-mapping-trim-horizon: a stream mapping starts with the oldest record kept."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, MAPPING

case = PolicyCase(__file__, MAPPING)
BREAKS = [{"startingPosition": "LATEST"}, {"startingPosition": "AT_TIMESTAMP"}]
QUEUE_MAPPING = {"startingPosition": DELETE, "destinationConfig": DELETE}


@pytest.mark.parametrize("changes", BREAKS)
def test_a_mapping_that_skips_old_records_is_reported(changes):
    case.reports(changes)


def test_a_mapping_from_trim_horizon_passes():
    case.accepts()


def test_a_queue_mapping_has_no_starting_position_to_check():
    case.accepts(QUEUE_MAPPING)
