"""appsync-introspection-disabled-prod: production hides its schema from introspection."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import API, DELETE

case = PolicyCase(__file__, API)
BREAKS = [{"introspectionConfig": "ENABLED"}, {"introspectionConfig": DELETE}]


@pytest.mark.parametrize("changes", BREAKS)
def test_a_production_api_open_to_introspection_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("changes", BREAKS)
def test_dev_may_keep_introspection(changes):
    case.accepts(changes, "dev")


def test_a_production_api_without_introspection_passes():
    case.accepts()
