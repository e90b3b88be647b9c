"""event-bus-archive-prod: a production bus is archived for replay."""

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import BUS_ARN, replaced, whole_stack, without

case = PolicyCase(__file__)


def test_a_production_bus_without_an_archive_is_reported():
    [finding] = case.reports(without(whole_stack(), "archive"))
    assert finding.resource_name == "bus"


def test_an_archive_of_another_bus_or_of_no_days_is_reported():
    case.reports(replaced(whole_stack(), "archive", inputs={"eventSourceArn": BUS_ARN + "x"}))
    case.reports(replaced(whole_stack(), "archive", inputs={"retentionDays": 0.0}))


def test_dev_needs_no_archive():
    case.accepts(without(whole_stack("dev"), "archive"), "dev")


def test_an_archived_production_bus_passes():
    case.accepts(whole_stack())
