"""lambda-supported-runtime: functions run on a runtime AWS still patches."""

from datetime import date

import pytest

from artifact.targets import LAMBDA_RUNTIME
from policy.chat_policies.lambda_ import supported_runtime
from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, FUNCTION

case = PolicyCase(__file__, FUNCTION)


@pytest.fixture(autouse=True)
def judged_on(monkeypatch):
    """A fixed day, so the tests do not change with the calendar."""
    monkeypatch.setattr(supported_runtime, "today", lambda: date(2026, 12, 2))


@pytest.mark.parametrize("runtime", ["python3.8", "nodejs16.x", "python2.7", DELETE])
def test_an_unknown_or_missing_runtime_is_reported(runtime):
    case.reports({"runtime": runtime})


def test_a_runtime_past_its_published_deprecation_date_is_reported():
    case.reports({"runtime": "nodejs20.x"})


def test_the_same_runtime_passed_before_that_date(monkeypatch):
    monkeypatch.setattr(supported_runtime, "today", lambda: date(2026, 4, 29))
    case.accepts({"runtime": "nodejs20.x"})


def test_the_deployed_runtime_passes():
    case.accepts({"runtime": LAMBDA_RUNTIME})


def test_a_container_image_has_no_runtime_to_check():
    case.accepts({"packageType": "Image", "runtime": DELETE})
