"""The emulator's user pool has the deployed pool's shape, case-insensitive user names
included (moto ignores that setting; `CaseInsensitiveUserNames` gives Cognito's behaviour)."""

from __future__ import annotations

import pytest

from components.user_pool import user_pool_shape
from emulator.aws_backend import LOCAL_ONLY_AUTH_FLOW, start_aws_backend
from emulator.demo import create_user, sign_in
from stacksettings.settings import load_settings


@pytest.fixture(scope="module")
def backend():
    running = start_aws_backend("127.0.0.1", 0, "eu-west-1", "pool-test")
    yield running
    running.stop()


def test_the_pool_is_built_from_the_deployed_shape(backend):
    cognito = backend.client("cognito-idp")
    pool = cognito.describe_user_pool(UserPoolId=backend.user_pool_id)["UserPool"]
    shape = user_pool_shape(load_settings("dev").cognito)
    assert pool["UsernameAttributes"] == list(shape.username_attributes)
    assert (
        pool["Policies"]["PasswordPolicy"]["MinimumLength"]
        == shape.password_policy["minimum_length"]
    )
    assert shape.case_sensitive is False


def test_the_app_client_is_the_deployed_request_plus_the_local_password_flow(backend):
    cognito = backend.client("cognito-idp")
    client = cognito.describe_user_pool_client(
        UserPoolId=backend.user_pool_id, ClientId=backend.client_id
    )["UserPoolClient"]
    request = user_pool_shape(load_settings("dev").cognito).client_request("pool-test")
    for parameter, value in request.items():
        if parameter == "ExplicitAuthFlows":
            assert set(client[parameter]) == {*value, LOCAL_ONLY_AUTH_FLOW}
        elif parameter != "GenerateSecret":  # moto omits it; no ClientSecret means none
            assert client[parameter] == value, parameter
    assert "ClientSecret" not in client


def test_user_names_differ_in_case_only_are_one_user(backend):
    cognito = backend.client("cognito-idp")
    create_user(cognito, backend.user_pool_id, "Dave.Case@Example.com", "Case-Test-2026!", ())

    tokens = sign_in(cognito, backend.client_id, "dave.case@example.com", "Case-Test-2026!")
    assert tokens["IdToken"]
    again = sign_in(cognito, backend.client_id, "DAVE.CASE@EXAMPLE.COM", "Case-Test-2026!")
    assert again["IdToken"]
    found = cognito.admin_get_user(
        UserPoolId=backend.user_pool_id, Username="DAVE.case@example.com"
    )
    emails = [a["Value"] for a in found["UserAttributes"] if a["Name"] == "email"]
    assert emails == ["dave.case@example.com"]
    with pytest.raises(cognito.exceptions.UsernameExistsException):
        cognito.admin_create_user(
            UserPoolId=backend.user_pool_id,
            Username="dave.CASE@example.com",
            UserAttributes=[{"Name": "email", "Value": "dave.CASE@example.com"}],
            MessageAction="SUPPRESS",
        )
