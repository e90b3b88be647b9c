"""prod-stateful-protected: production data stores and keys carry Pulumi's protect."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DOMAIN, KEY, QUEUE, resource

case = PolicyCase(__file__)
STATEFUL = [DOMAIN, KEY, QUEUE]


@pytest.mark.parametrize("resource_type", STATEFUL)
def test_an_unprotected_production_store_is_reported(resource_type):
    case.reports(resource(resource_type, "prod", protect=False))


@pytest.mark.parametrize("resource_type", STATEFUL)
def test_dev_stores_may_be_replaced(resource_type):
    case.accepts(resource(resource_type, "dev", protect=False), "dev")


@pytest.mark.parametrize("resource_type", STATEFUL)
def test_a_protected_production_store_passes(resource_type):
    case.accepts(resource(resource_type, "prod"))
