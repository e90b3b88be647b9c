"""Sign-in: a Cognito user pool (e-mail as user name) with the chat groups and one public
app client for web and mobile apps (SRP and refresh tokens, no client secret)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from chatspec.auth import GROUPS
from components.settings import StackSettings

CLIENT_AUTH_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


@dataclass
class AuthArgs:
    settings: StackSettings


class Auth(pulumi.ComponentResource):
    user_pool_id: pulumi.Output[str]
    user_pool_arn: pulumi.Output[str]
    client_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: AuthArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:auth:Auth", name, None, opts)
        settings = args.settings
        cognito = settings.cognito
        child = pulumi.ResourceOptions(parent=self)
        pool = aws.cognito.UserPool(
            f"{name}-users",
            name=f"{settings.prefix}-users",
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            schemas=[
                aws.cognito.UserPoolSchemaArgs(
                    name="email", attribute_data_type="String", required=True, mutable=True
                )
            ],
            password_policy=aws.cognito.UserPoolPasswordPolicyArgs(**cognito.password_policy()),
            mfa_configuration=cognito.mfa,
            software_token_mfa_configuration=aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(
                enabled=True
            )
            if cognito.mfa != "OFF"
            else None,
            account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
                recovery_mechanisms=[
                    aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                        name="verified_email", priority=1
                    )
                ]
            ),
            deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            ),
        )
        for group in GROUPS:
            aws.cognito.UserGroup(
                f"{name}-group-{group.name.lower()}",
                user_pool_id=pool.id,
                name=group.name,
                precedence=group.precedence,
                description=group.description,
                opts=child,
            )
        client = aws.cognito.UserPoolClient(
            f"{name}-app",
            name=f"{settings.prefix}-app",
            user_pool_id=pool.id,
            generate_secret=False,
            explicit_auth_flows=list(CLIENT_AUTH_FLOWS),
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
            read_attributes=["email", "email_verified"],
            write_attributes=["email"],
            supported_identity_providers=["COGNITO"],
            opts=child,
        )
        self.user_pool_id = pool.id
        self.user_pool_arn = pool.arn
        self.client_id = client.id
        self.register_outputs({"userPoolId": self.user_pool_id, "userPoolClientId": self.client_id})
