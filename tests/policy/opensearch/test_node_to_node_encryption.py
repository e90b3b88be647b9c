"""opensearch-node-to-node-encryption: traffic between search nodes is encrypted."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, DOMAIN

case = PolicyCase(__file__, DOMAIN)


@pytest.mark.parametrize(
    "changes", [{"nodeToNodeEncryption": DELETE}, {"nodeToNodeEncryption.enabled": False}]
)
def test_unencrypted_node_traffic_is_reported(changes):
    case.reports(changes, "dev")


def test_encrypted_node_traffic_passes():
    case.accepts()
