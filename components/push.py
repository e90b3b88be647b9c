"""Push notifications: one SNS platform application per platform the stack lists
(`push.platforms`), with the credentials of the secret config `pushCredentials`, and the
two Lambdas that use them: devices (registerDevice/unregisterDevice, an AppSync data
source) and notifier (a rule target of the event bus, wired by `components.events`).

IAM: devices may create endpoints in these applications and delete endpoints under them;
the notifier may publish to and delete endpoints under them; nothing else of SNS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pulumi
import pulumi_aws as aws

import chatspec
from chatspec.push import PLATFORMS
from components.lambda_function import ChatLambda, ChatLambdaArgs
from stacksettings.settings import PUSH_CREDENTIALS_KEY, StackSettings

PUSH_FUNCTIONS = ("devices", "notifier")
ACTIONS: dict[str, tuple[str, ...]] = {
    "devices": ("sns:CreatePlatformEndpoint", "sns:DeleteEndpoint"),
    "notifier": ("sns:Publish", "sns:DeleteEndpoint"),
}


@dataclass
class PushArgs:
    settings: StackSettings
    region: pulumi.Input[str]
    account_id: pulumi.Input[str]
    layer_arn: pulumi.Input[str]
    table_names: dict[str, pulumi.Output[str]]
    table_arns: dict[str, pulumi.Output[str]]
    credentials: pulumi.Input[dict[str, Any]] | None = None
    kms_key_arn: pulumi.Input[str] | None = None
    subnet_ids: list[pulumi.Output[str]] = field(default_factory=list)
    lambda_security_group_id: pulumi.Input[str] | None = None


def application_name(prefix: str, platform: str) -> str:
    return f"{prefix}-{platform.lower().replace('_', '-')}"


def endpoint_arns(region: str, account: str, prefix: str, platforms: tuple[str, ...]) -> list[str]:
    """Endpoints of the stack's applications: `endpoint/<SNS platform>/<application>/*`."""
    return [
        f"arn:aws:sns:{region}:{account}:endpoint/{PLATFORMS[p]}/{application_name(prefix, p)}/*"
        for p in platforms
    ]


def read_credentials(platforms: tuple[str, ...]) -> pulumi.Output[dict[str, Any]]:
    """The secret `pushCredentials` object; a listed platform without one stops the program."""
    from stacksettings.config_values import PROJECT

    config = pulumi.Config(PROJECT)
    secret = config.get_secret_object(PUSH_CREDENTIALS_KEY)
    if secret is None:
        if platforms:
            raise pulumi.RunError(_missing(platforms[0]))
        return pulumi.Output.secret({})

    def check(values: Any) -> dict[str, Any]:
        values = values or {}
        for platform in platforms:
            entry = values.get(platform) or {}
            if not entry.get("credential"):
                raise pulumi.RunError(_missing(platform))
        return values

    return secret.apply(check)


def _missing(platform: str) -> str:
    return (
        f"push.platforms lists {platform}, but the secret config "
        f"{PUSH_CREDENTIALS_KEY}.{platform}.credential is not set: pulumi config set --secret "
        f"--path '{PUSH_CREDENTIALS_KEY}.{platform}.credential' <key> (and .principal: the "
        "APNs certificate or signing key id; FCM needs only the credential)"
    )


def _credential(credentials: dict[str, Any], *, platform: str, part: str) -> str | None:
    """One value of `pushCredentials.<platform>` (a missing principal is None: FCM has none)."""
    return credentials[platform].get(part) or None


class Push(pulumi.ComponentResource):
    application_arns: dict[str, pulumi.Output[str]]
    functions: dict[str, ChatLambda]

    def __init__(
        self, name: str, args: PushArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:push:Push", name, None, opts)
        settings = args.settings
        platforms = settings.push.platforms
        credentials = pulumi.Output.secret(
            args.credentials if args.credentials is not None else read_credentials(platforms)
        )
        self.application_arns = {}
        self.applications: dict[str, aws.sns.PlatformApplication] = {}
        for platform in platforms:
            application = aws.sns.PlatformApplication(
                f"{name}-{platform.lower()}",
                name=application_name(settings.prefix, platform),
                platform=PLATFORMS[platform],
                # credentials is the secret config: what apply derives from it stays secret
                platform_credential=credentials.apply(
                    partial(_credential, platform=platform, part="credential")
                ),
                platform_principal=credentials.apply(
                    partial(_credential, platform=platform, part="principal")
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.applications[platform] = application
            self.application_arns[platform] = application.arn
        applications_json = pulumi.Output.json_dumps(self.application_arns)
        self.functions = {}
        for function in PUSH_FUNCTIONS:
            spec = chatspec.lambda_function(function)
            self.functions[function] = ChatLambda(
                f"{name}-{function}",
                ChatLambdaArgs.for_spec(
                    spec,
                    args,
                    self._statements(function, args),
                    push_applications=applications_json,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs(
            {
                "applicationArns": self.application_arns,
                "functionArns": {n: f.arn for n, f in self.functions.items()},
            }
        )

    def _statements(self, function: str, args: PushArgs) -> list:
        platforms = args.settings.push.platforms
        if not platforms:
            return []
        prefix = args.settings.prefix
        endpoints = pulumi.Output.all(args.region, args.account_id).apply(
            lambda v: endpoint_arns(v[0], v[1], prefix, platforms)
        )
        statements: list = []
        if function == "devices":
            statements.append(
                pulumi.Output.all(*self.application_arns.values()).apply(
                    lambda arns: {
                        "Effect": "Allow",
                        "Action": ["sns:CreatePlatformEndpoint"],
                        "Resource": sorted(arns),
                    }
                )
            )
            actions = ["sns:DeleteEndpoint"]
        else:
            actions = ["sns:DeleteEndpoint", "sns:Publish"]
        statements.append(
            endpoints.apply(lambda arns: {"Effect": "Allow", "Action": actions, "Resource": arns})
        )
        return statements


def applications_environment(arns: dict[str, str]) -> str:
    return json.dumps(arns, sort_keys=True)
