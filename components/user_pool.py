"""The user pool's shape, written once: the deployed pool (`components/auth.py`) and the
emulator's pool (`emulator/aws_backend.py`) are both built from `user_pool_shape`, the app
client from `UserPoolShape.client_request` (`tests/unit/test_user_pool_shape.py` ties the
recorded Pulumi inputs and the emulator's pool to it).

Plain Python (no pulumi, no boto3). Names follow the Cognito API (`CreateUserPool`,
`CreateUserPoolClient`), whose fields pulumi-aws mirrors in snake_case.

- E-mail is the user name, and user names are case-insensitive: `Alice@Example.com` and
  `alice@example.com` are one user. Cognito fixes this when the pool is created
  (`UsernameConfiguration` cannot be updated), hence decided here, before any first deploy.
- E-mail goes through SES when the stack names an identity (`cognito.sesIdentityArn`,
  `cognito.sesFromAddress`; production should); otherwise through Cognito's default
  sender, which AWS caps at a few messages a day (fine for dev).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stacksettings.settings import CognitoSettings, PasswordPolicy

CLIENT_AUTH_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
COGNITO_EMAIL_QUOTA_DOC = "https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html"


@dataclass(frozen=True)
class UserPoolShape:
    username_attributes: tuple[str, ...]
    auto_verified_attributes: tuple[str, ...]
    case_sensitive: bool
    schema: tuple[dict[str, Any], ...]
    password_policy: PasswordPolicy
    mfa: str
    email_sending_account: str
    ses_identity_arn: str | None
    from_email_address: str | None
    client_auth_flows: tuple[str, ...]
    client_read_attributes: tuple[str, ...]
    client_write_attributes: tuple[str, ...]
    client_generate_secret: bool = False
    client_prevent_user_existence_errors: str = "ENABLED"
    client_enable_token_revocation: bool = True
    client_identity_providers: tuple[str, ...] = ("COGNITO",)

    @staticmethod
    def pool_name(prefix: str) -> str:
        return f"{prefix}-users"

    def client_request(self, prefix: str) -> dict[str, Any]:
        """`CreateUserPoolClient` parameters (Cognito API spelling) apart from the pool id:
        public (no secret, SRP), revocable refresh tokens, no user-existence oracle."""
        return {
            "ClientName": f"{prefix}-app",
            "GenerateSecret": self.client_generate_secret,
            "ExplicitAuthFlows": list(self.client_auth_flows),
            "PreventUserExistenceErrors": self.client_prevent_user_existence_errors,
            "EnableTokenRevocation": self.client_enable_token_revocation,
            "ReadAttributes": list(self.client_read_attributes),
            "WriteAttributes": list(self.client_write_attributes),
            "SupportedIdentityProviders": list(self.client_identity_providers),
        }

    def cognito_password_policy(self) -> dict[str, Any]:
        """The password policy as the Cognito API spells it (PascalCase)."""
        return {
            "".join(word.title() for word in key.split("_")): value
            for key, value in self.password_policy.items()
        }


def user_pool_shape(cognito: CognitoSettings) -> UserPoolShape:
    return UserPoolShape(
        username_attributes=("email",),
        auto_verified_attributes=("email",),
        case_sensitive=False,
        schema=(
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
        ),
        password_policy=cognito.password_policy(),
        mfa=cognito.mfa,
        email_sending_account="DEVELOPER" if cognito.ses_identity_arn else "COGNITO_DEFAULT",
        ses_identity_arn=cognito.ses_identity_arn,
        from_email_address=cognito.ses_from_address,
        client_auth_flows=CLIENT_AUTH_FLOWS,
        client_read_attributes=("email", "email_verified"),
        client_write_attributes=("email",),
    )
