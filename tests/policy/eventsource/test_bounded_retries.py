"""stream-mapping-bounded-retries: a failing record is retried a bounded number of times."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, MAPPING

case = PolicyCase(__file__, MAPPING)
BREAKS = [{"maximumRetryAttempts": n} for n in (-1.0, 10001.0, DELETE)]
QUEUE_MAPPING = {"startingPosition": DELETE, "destinationConfig": DELETE}


@pytest.mark.parametrize("changes", BREAKS)
def test_unbounded_retries_are_reported(changes):
    case.reports(changes)


def test_bounded_retries_pass():
    case.accepts()


@pytest.mark.parametrize("changes", BREAKS)
def test_a_queue_mapping_is_left_to_the_queue(changes):
    case.accepts({**QUEUE_MAPPING, **changes})


@pytest.mark.parametrize("retries", [0.0, 10000.0])
def test_the_bounds_themselves_pass(retries):
    case.accepts({"maximumRetryAttempts": retries})


def test_the_largest_finite_retry_count_is_awss():
    from chatspec import aws_limits
    from policy.chat_policies import eventsource

    assert aws_limits.LAMBDA_STREAM_MAX_RETRY_ATTEMPTS.value == eventsource.MAX_RETRY_ATTEMPTS
