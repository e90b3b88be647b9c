"""lambda-tracing-active: every Lambda sends X-Ray traces."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, FUNCTION

case = PolicyCase(__file__, FUNCTION)


@pytest.mark.parametrize(
    "changes", [{"tracingConfig.mode": "PassThrough"}, {"tracingConfig": DELETE}]
)
def test_a_function_without_active_tracing_is_reported(changes):
    case.reports(changes)


def test_an_actively_traced_function_passes():
    case.accepts()
