"""The smoke script signs in to a pool that requires TOTP MFA, as prod's does."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from emulator.testing import KEEP_BOTO3_SESSION
from scripts.smoke import SmokeFailure, sign_in

PASSWORD = "Smoke-Test-2026!"
USER = "ops@example.com"


@pytest.fixture
def mfa_pool(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        cognito = boto3.client("cognito-idp", region_name="eu-west-1")
        pool = cognito.create_user_pool(PoolName="prod-like", MfaConfiguration="ON")["UserPool"]
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool["Id"],
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration="ON",
        )
        client = cognito.create_user_pool_client(
            UserPoolId=pool["Id"],
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        cognito.admin_create_user(UserPoolId=pool["Id"], Username=USER)
        cognito.admin_set_user_password(
            UserPoolId=pool["Id"], Username=USER, Password=PASSWORD, Permanent=True
        )
        access = cognito.admin_initiate_auth(
            UserPoolId=pool["Id"],
            ClientId=client["ClientId"],
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": USER, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]
        cognito.associate_software_token(AccessToken=access)
        cognito.verify_software_token(AccessToken=access, UserCode="123456")
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool["Id"],
            Username=USER,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        yield {
            "region": "eu-west-1",
            "userPoolId": pool["Id"],
            "userPoolClientId": client["ClientId"],
        }


def test_a_pool_with_mfa_needs_the_code(mfa_pool):
    with pytest.raises(SmokeFailure, match="--mfa-code"):
        sign_in(mfa_pool, USER, PASSWORD)


def test_the_mfa_code_answers_the_challenge(mfa_pool):
    token = sign_in(mfa_pool, USER, PASSWORD, mfa_code="123456")
    assert token.count(".") == 2
