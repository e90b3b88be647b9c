"""appsync-no-api-key: callers are identified by Cognito or IAM, never by a shared key."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import API

case = PolicyCase(__file__, API)


@pytest.mark.parametrize(
    "changes",
    [
        {"authenticationType": "API_KEY"},
        {"additionalAuthenticationProviders": [{"authenticationType": "API_KEY"}]},
    ],
)
def test_an_api_key_anywhere_is_reported(changes):
    case.reports(changes)


def test_cognito_with_iam_for_backends_passes():
    case.accepts()
