"""s3-versioning: production buckets keep object versions."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import VERSIONING

case = PolicyCase(__file__, VERSIONING)


@pytest.mark.parametrize("status", ["Suspended", "Disabled"])
def test_prod_without_versioning_is_reported(status):
    case.reports({"versioningConfiguration": {"status": status}})


def test_prod_enabled_and_dev_suspended_pass():
    case.accepts()
    case.accepts({"versioningConfiguration": {"status": "Suspended"}}, stack="dev")
