"""cognito-public-client-no-secret: browser and mobile clients have no client secret."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import CLIENT

case = PolicyCase(__file__, CLIENT)


def test_a_public_client_with_a_secret_is_reported():
    case.reports({"generateSecret": True})


def test_a_public_client_without_a_secret_passes():
    case.accepts()


def test_a_confidential_client_may_have_a_secret():
    case.accepts({"generateSecret": True, "allowedOauthFlows": ["client_credentials"]})
