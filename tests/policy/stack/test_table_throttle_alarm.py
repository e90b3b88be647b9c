"""dynamodb-throttle-alarm: every table has an alarm on throttled requests."""

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import replaced, whole_stack, without

case = PolicyCase(__file__)


def test_a_table_without_a_throttle_alarm_is_reported_on_the_table():
    [finding] = case.reports(without(whole_stack(), "messages-throttles"))
    assert finding.resource_name == "messages"
    assert finding.resource_type == "aws:dynamodb/table:Table"


def test_an_alarm_on_another_metric_does_not_count():
    stack = replaced(
        whole_stack(), "messages-throttles", inputs={"metricName": "ConsumedWriteCapacityUnits"}
    )
    case.reports(stack)


def test_an_alarm_in_a_metric_query_counts():
    metric = {
        "namespace": "AWS/DynamoDB",
        "metricName": "WriteThrottleEvents",
        "dimensions": {"TableName": "chat-prod-messages"},
    }
    stack = replaced(
        whole_stack(),
        "messages-throttles",
        inputs={"metricName": None, "metricQueries": [{"metric": metric}]},
    )
    case.accepts(stack)


def test_a_stack_alarming_on_every_table_passes():
    case.accepts(whole_stack())
