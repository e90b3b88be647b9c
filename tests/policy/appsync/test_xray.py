"""appsync-xray-enabled: requests are traced from AppSync through the Lambdas."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import API, DELETE

case = PolicyCase(__file__, API)


@pytest.mark.parametrize("changes", [{"xrayEnabled": False}, {"xrayEnabled": DELETE}])
def test_an_untraced_api_is_reported(changes):
    case.reports(changes)


def test_a_traced_api_passes():
    case.accepts()
