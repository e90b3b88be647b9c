"""Clients reach the domain over HTTPS with TLS 1.2 or later only."""

from pulumi_policy import Severity

from .._support import dig, is_true, resource_policy
from . import DOMAIN

TLS_12_POLICIES = frozenset({"Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"})


def _check(args):
    if not is_true(dig(args.props, "domainEndpointOptions.enforceHttps")):
        yield "domainEndpointOptions.enforceHttps is not true."
    policy = dig(args.props, "domainEndpointOptions.tlsSecurityPolicy")
    if policy not in TLS_12_POLICIES:
        yield f"domainEndpointOptions.tlsSecurityPolicy is {policy!r}, which allows TLS < 1.2."


POLICY = resource_policy(
    name="opensearch-https-tls12",
    description=(
        "Search queries and bulk indexing carry message bodies and SigV4 credentials; plain "
        "HTTP or TLS 1.0/1.1 exposes them."
    ),
    resource_types=[DOMAIN],
    checks="the search domain enforces HTTPS with TLS 1.2+",
    remediation=(
        "set domain_endpoint_options=DomainDomainEndpointOptionsArgs(enforce_https=True, "
        'tls_security_policy="Policy-Min-TLS-1-2-2019-07").'
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("encryption", "network"),
    link="https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
)
