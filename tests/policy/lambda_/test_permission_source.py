"""lambda-permission-source-arn: a service allowed to invoke a function names its source."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, PERMISSION

case = PolicyCase(__file__, PERMISSION)


@pytest.mark.parametrize("source", [DELETE, ""])
def test_a_service_principal_without_a_source_arn_is_reported(source):
    case.reports({"sourceArn": source})


def test_the_user_pools_trigger_permission_passes():
    case.accepts()


def test_an_account_principal_is_not_this_policys_concern():
    case.accepts({"principal": "123456789012", "sourceArn": DELETE})
