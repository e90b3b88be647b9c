"""kms-key-description (advisory): every key says what it protects."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, KEY

case = PolicyCase(__file__, KEY)


@pytest.mark.parametrize("changes", [{"description": " "}, {"description": DELETE}])
def test_a_key_without_a_description_is_advised_against(changes):
    case.reports(changes)


def test_a_described_key_passes():
    case.accepts()
