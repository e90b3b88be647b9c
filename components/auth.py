"""Sign-in: a Cognito user pool (e-mail as user name, case-insensitive; shape in
`components/user_pool.py`, shared with the emulator) with the chat groups and one public
app client for web and mobile apps (SRP and refresh tokens, no client secret). A confirmed
sign-up invokes the post-confirmation trigger (the users Lambda writes the profile); only
this pool may invoke it (the permission's source ARN)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from chatspec.auth import GROUPS
from components.lambda_function import ChatLambda
from components.user_pool import user_pool_shape
from stacksettings.settings import CognitoSettings
from stacksettings.view import View


def _snake(parameter: str) -> str:
    """`ExplicitAuthFlows` (Cognito API) as `explicit_auth_flows` (pulumi-aws argument)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", parameter).lower()


@dataclass(frozen=True)
class AuthSettings(View):
    """The stack settings that shape the user pool and its app client."""

    prefix: str
    tags: dict[str, str]
    cognito: CognitoSettings
    deletion_protection: bool
    retain_on_delete: bool


@dataclass
class AuthArgs:
    settings: AuthSettings
    post_confirmation: ChatLambda | None = None
    """Cognito invokes it when a user confirms sign-up (the users Lambda: their profile)."""


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
        shape = user_pool_shape(cognito)
        pool = aws.cognito.UserPool(
            f"{name}-users",
            name=shape.pool_name(settings.prefix),
            username_attributes=list(shape.username_attributes),
            username_configuration=aws.cognito.UserPoolUsernameConfigurationArgs(
                case_sensitive=shape.case_sensitive
            ),
            auto_verified_attributes=list(shape.auto_verified_attributes),
            schemas=[
                aws.cognito.UserPoolSchemaArgs(
                    name=a["Name"],
                    attribute_data_type=a["AttributeDataType"],
                    required=a["Required"],
                    mutable=a["Mutable"],
                )
                for a in shape.schema
            ],
            password_policy=aws.cognito.UserPoolPasswordPolicyArgs(**shape.password_policy),
            mfa_configuration=shape.mfa,
            software_token_mfa_configuration=aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(
                enabled=True
            )
            if shape.mfa != "OFF"
            else None,
            email_configuration=aws.cognito.UserPoolEmailConfigurationArgs(
                email_sending_account=shape.email_sending_account,
                source_arn=shape.ses_identity_arn,
                from_email_address=shape.from_email_address,
            ),
            account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
                recovery_mechanisms=[
                    aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                        name="verified_email", priority=1
                    )
                ]
            ),
            lambda_config=aws.cognito.UserPoolLambdaConfigArgs(
                post_confirmation=args.post_confirmation.arn
            )
            if args.post_confirmation is not None
            else None,
            deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            ),
        )
        if args.post_confirmation is not None:
            aws.lambda_.Permission(
                f"{name}-post-confirmation",
                action="lambda:InvokeFunction",
                function=args.post_confirmation.name,
                principal="cognito-idp.amazonaws.com",
                source_arn=pool.arn,
                opts=child,
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
        request = shape.client_request(settings.prefix)
        client = aws.cognito.UserPoolClient(
            f"{name}-app",
            name=request.pop("ClientName"),
            user_pool_id=pool.id,
            **{_snake(parameter): value for parameter, value in request.items()},
            opts=child,
        )
        self.user_pool_id = pool.id
        self.user_pool_arn = pool.arn
        self.client_id = client.id
        self.register_outputs({"userPoolId": self.user_pool_id, "userPoolClientId": self.client_id})
