"""opensearch-in-vpc: the search domain has no public endpoint."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, DOMAIN

case = PolicyCase(__file__, DOMAIN)


@pytest.mark.parametrize(
    "changes",
    [{"vpcOptions": DELETE}, {"vpcOptions.subnetIds": []}, {"vpcOptions.securityGroupIds": []}],
)
def test_a_public_or_default_guarded_domain_is_reported(changes):
    case.reports(changes, "dev")


def test_a_domain_in_private_subnets_passes():
    case.accepts()
