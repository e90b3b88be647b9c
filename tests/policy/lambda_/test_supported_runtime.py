"""lambda-supported-runtime: functions run on a runtime AWS still patches."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, FUNCTION

case = PolicyCase(__file__, FUNCTION)


@pytest.mark.parametrize("runtime", ["python3.8", "nodejs16.x", DELETE])
def test_a_deprecated_or_missing_runtime_is_reported(runtime):
    case.reports({"runtime": runtime})


def test_the_tested_runtime_passes():
    case.accepts()


def test_a_container_image_has_no_runtime_to_check():
    case.accepts({"packageType": "Image", "runtime": DELETE})
