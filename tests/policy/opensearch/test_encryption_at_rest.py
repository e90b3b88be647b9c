"""opensearch-encryption-at-rest: indexed messages are encrypted on disk."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, DOMAIN

case = PolicyCase(__file__, DOMAIN)


@pytest.mark.parametrize("changes", [{"encryptAtRest.enabled": False}, {"encryptAtRest": DELETE}])
def test_an_unencrypted_domain_is_reported(changes):
    case.reports(changes, "dev")


def test_an_encrypted_domain_passes():
    case.accepts()
