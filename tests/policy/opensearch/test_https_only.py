"""opensearch-https-tls12: clients reach the domain over HTTPS with TLS 1.2 or later."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DOMAIN

case = PolicyCase(__file__, DOMAIN)


@pytest.mark.parametrize(
    "changes",
    [
        {"domainEndpointOptions.enforceHttps": False},
        {"domainEndpointOptions.tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"},
    ],
)
def test_plain_http_or_old_tls_is_reported(changes):
    case.reports(changes)


@pytest.mark.parametrize("policy", ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"])
def test_https_with_tls_12_passes(policy):
    case.accepts({"domainEndpointOptions.tlsSecurityPolicy": policy})
