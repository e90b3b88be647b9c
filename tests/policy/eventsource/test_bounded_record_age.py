"""stream-mapping-bounded-record-age: a record is parked while the stream still keeps it."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, MAPPING

case = PolicyCase(__file__, MAPPING)
BREAKS = [{"maximumRecordAgeInSeconds": age} for age in (-1.0, 30.0, 82801.0, 86400.0, DELETE)]
QUEUE_MAPPING = {"startingPosition": DELETE, "destinationConfig": DELETE}


@pytest.mark.parametrize("changes", BREAKS)
def test_an_age_limit_outside_60_s_to_23_h_is_reported(changes):
    case.reports(changes)


def test_an_age_limit_that_leaves_time_to_redrive_passes():
    case.accepts()


@pytest.mark.parametrize("changes", BREAKS)
def test_a_queue_mapping_is_left_to_the_queue(changes):
    case.accepts({**QUEUE_MAPPING, **changes})


@pytest.mark.parametrize("age", [60.0, 82800.0])
def test_the_bounds_themselves_pass(age):
    case.accepts({"maximumRecordAgeInSeconds": age})


def test_the_streams_numbers_are_awss():
    from chatspec import aws_limits
    from policy.chat_policies import eventsource

    assert aws_limits.DYNAMODB_STREAM_RETENTION.value == eventsource.STREAM_RETENTION_SECONDS
    assert aws_limits.LAMBDA_STREAM_MIN_RECORD_AGE.value == eventsource.MIN_RECORD_AGE_SECONDS
