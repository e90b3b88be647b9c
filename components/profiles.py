"""The users Lambda, built before the user pool: the pool's post-confirmation trigger names
it, and the API's `UsersLambda` data source uses the same function (`Api.prebuilt_functions`).

Cognito invokes a trigger synchronously and gives up after 5 seconds (then retries), so
the function's timeout is at most that (`chatspec.aws_limits.COGNITO_TRIGGER_TIMEOUT`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

import chatspec
from components.lambda_function import ChatLambda, ChatLambdaArgs, FunctionSettings


@dataclass
class ProfilesArgs:
    settings: FunctionSettings
    layer_arn: pulumi.Input[str]
    table_names: dict[str, pulumi.Output[str]]
    table_arns: dict[str, pulumi.Output[str]]
    account_id: pulumi.Input[str]
    region: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str] | None = None


class Profiles(pulumi.ComponentResource):
    function: ChatLambda
    functions: dict[str, ChatLambda]

    def __init__(
        self, name: str, args: ProfilesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:profiles:Profiles", name, None, opts)
        spec = chatspec.lambda_function("users")
        self.function = ChatLambda(
            f"{name}-users",
            ChatLambdaArgs(
                settings=args.settings,
                spec=spec,
                layer_arn=args.layer_arn,
                table_names=args.table_names,
                table_arns=args.table_arns,
                account_id=args.account_id,
                region=args.region,
                kms_key_arn=args.kms_key_arn,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.functions = {spec.name: self.function}
        self.register_outputs({"usersFunctionArn": self.function.arn})
