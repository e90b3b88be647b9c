"""event-target-dead-letter: every rule target retries and parks what fails."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, TARGET

case = PolicyCase(__file__, TARGET)


@pytest.mark.parametrize(
    "changes",
    [
        {"deadLetterConfig": DELETE},
        {"retryPolicy": DELETE},
        {"retryPolicy.maximumEventAgeInSeconds": DELETE},
    ],
)
def test_a_target_without_retries_or_dead_letters_is_reported(changes):
    case.reports(changes)


def test_a_target_with_both_passes():
    case.accepts()
