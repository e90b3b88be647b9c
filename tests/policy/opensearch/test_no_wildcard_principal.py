"""opensearch-no-wildcard-principal: the access policy names its callers."""

import json

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DOMAIN, custom

case = PolicyCase(__file__, DOMAIN)
OPEN = [{"Effect": "Allow", "Principal": "*"}]


@pytest.mark.parametrize(
    "policy",
    [
        json.dumps({"Statement": OPEN}),
        {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}}]},
    ],
)
def test_an_open_access_policy_is_reported(policy):
    case.reports({"accessPolicies": policy})


def test_an_open_domain_policy_resource_is_reported():
    policy = custom(
        "aws:opensearch/domainPolicy:DomainPolicy",
        {"accessPolicies": json.dumps({"Statement": OPEN})},
    )
    case.reports(policy)


def test_a_policy_naming_the_lambda_roles_passes():
    case.accepts()


def test_a_wildcard_in_a_deny_is_no_grant():
    case.accepts({"accessPolicies": {"Statement": [{"Effect": "Deny", "Principal": "*"}]}})
