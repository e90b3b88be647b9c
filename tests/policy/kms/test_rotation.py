"""kms-key-rotation: customer-managed keys rotate their key material."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, KEY

case = PolicyCase(__file__, KEY)


@pytest.mark.parametrize("changes", [{"enableKeyRotation": False}, {"enableKeyRotation": DELETE}])
def test_a_key_that_does_not_rotate_is_reported(changes):
    case.reports(changes, "dev")


def test_a_rotating_key_passes():
    case.accepts()
