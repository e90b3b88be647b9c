"""appsync-logging-enabled: resolver errors reach CloudWatch Logs."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import API, DELETE

case = PolicyCase(__file__, API)


@pytest.mark.parametrize(
    "changes",
    [
        {"logConfig": DELETE},
        {"logConfig.fieldLogLevel": "NONE"},
        {"logConfig.cloudwatchLogsRoleArn": DELETE},
    ],
)
def test_an_api_that_does_not_log_errors_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("level", ["ERROR", "ALL"])
def test_an_api_logging_errors_passes(level):
    case.accepts({"logConfig.fieldLogLevel": level})
