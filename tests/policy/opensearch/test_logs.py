"""opensearch-logs-enabled: the domain publishes its application logs to CloudWatch."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DOMAIN

ARN = "arn:aws:logs:x"
case = PolicyCase(__file__, DOMAIN)


@pytest.mark.parametrize(
    "options",
    [
        [],
        [{"logType": "INDEX_SLOW_LOGS", "cloudwatchLogGroupArn": ARN}],
        [{"logType": "ES_APPLICATION_LOGS", "cloudwatchLogGroupArn": ARN, "enabled": False}],
    ],
)
def test_a_domain_without_application_logs_is_reported(options):
    case.reports({"logPublishingOptions": options})


def test_a_domain_publishing_application_logs_passes():
    case.accepts()
