"""pipe-stream-bounded-failures: retries, record age, bisection and a dead-letter queue."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, PIPE

case = PolicyCase(__file__, PIPE)
STREAM = "sourceParameters.dynamodbStreamParameters"
BREAKS = [
    {f"{STREAM}.maximumRetryAttempts": -1.0},
    {f"{STREAM}.maximumRetryAttempts": 10001.0},
    {f"{STREAM}.maximumRetryAttempts": DELETE},
    {f"{STREAM}.maximumRecordAgeInSeconds": -1.0},
    {f"{STREAM}.deadLetterConfig": DELETE},
    {f"{STREAM}.onPartialBatchItemFailure": DELETE},
]


@pytest.mark.parametrize("changes", BREAKS)
def test_unbounded_or_unparked_failures_are_reported(changes):
    case.reports(changes)


def test_a_bounded_pipe_with_a_dead_letter_queue_passes():
    case.accepts()


def test_a_pipe_from_a_queue_is_left_alone():
    case.accepts({"sourceParameters": {"sqsQueueParameters": {"batchSize": 10.0}}})


def test_the_retry_bound_and_the_chat_pipes_agree_with_the_spec():
    from chatspec.aws_limits import LAMBDA_STREAM_MAX_RETRY_ATTEMPTS
    from chatspec.events import PIPES
    from policy.chat_policies import pipes

    assert LAMBDA_STREAM_MAX_RETRY_ATTEMPTS.value == pipes.MAX_RETRY_ATTEMPTS
    assert all(0 <= p.maximum_retry_attempts <= pipes.MAX_RETRY_ATTEMPTS for p in PIPES)
