"""One chat Lambda from its `chatspec.LambdaFunction`: role, log group and function.

The execution role is generated from the spec: its DynamoDB grants, logs to its own log
group, X-Ray, VPC access when `in_vpc`, plus statements the owning component adds
(OpenSearch HTTP on the domain, stream reads, the failure queue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from chatspec.environment import function_environment
from chatspec.model import LambdaFunction
from components.iam_documents import assume_role_policy, dynamodb_statements, policy_document
from components.lambda_code import ARCHITECTURE, RUNTIME, code_archive, handler_path
from components.naming import function_name, log_group_name
from stacksettings.settings import AssistantSettings
from stacksettings.view import View

VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


@dataclass(frozen=True)
class FunctionSettings(View):
    """The stack settings that shape one Lambda, its role and log group."""

    prefix: str
    tags: dict[str, str]
    log_retention_days: int
    lambda_log_level: str


@dataclass
class ChatLambdaArgs:
    settings: FunctionSettings
    spec: LambdaFunction
    layer_arn: pulumi.Input[str]
    table_names: dict[str, pulumi.Output[str]]
    table_arns: dict[str, pulumi.Output[str]]
    account_id: pulumi.Input[str]
    region: pulumi.Input[str]
    subnet_ids: list[pulumi.Output[str]] | None = None
    security_group_id: pulumi.Input[str] | None = None
    user_pool_id: pulumi.Input[str] | None = None
    search_endpoint: pulumi.Input[str] | None = None
    push_applications: pulumi.Input[str] | None = None
    uploads_bucket: pulumi.Input[str] | None = None
    kms_key_arn: pulumi.Input[str] | None = None
    statements: list[pulumi.Input[dict[str, Any]]] = field(default_factory=list)
    graphql_url: pulumi.Input[str] | None = None
    assistant: AssistantSettings | None = None
    malware_scanning: bool = False

    @classmethod
    def for_spec(
        cls,
        spec: LambdaFunction,
        stack: Any,
        statements: list[pulumi.Input[dict[str, Any]]],
        *,
        user_pool_id: pulumi.Input[str] | None = None,
        search_endpoint: pulumi.Input[str] | None = None,
        push_applications: pulumi.Input[str] | None = None,
        uploads_bucket: pulumi.Input[str] | None = None,
    ) -> ChatLambdaArgs:
        """Args for `spec` from a component's args (`stack`: ApiArgs or SearchArgs), which
        carry the same stack-wide values; the VPC placement follows `spec.in_vpc`."""
        return cls(
            settings=FunctionSettings.of(stack.settings),
            spec=spec,
            layer_arn=stack.layer_arn,
            table_names=stack.table_names,
            table_arns=stack.table_arns,
            account_id=stack.account_id,
            region=stack.region,
            subnet_ids=stack.subnet_ids if spec.in_vpc else None,
            security_group_id=stack.lambda_security_group_id if spec.in_vpc else None,
            user_pool_id=user_pool_id,
            search_endpoint=search_endpoint,
            push_applications=push_applications,
            uploads_bucket=uploads_bucket,
            kms_key_arn=stack.kms_key_arn,
            statements=statements,
        )


class ChatLambda(pulumi.ComponentResource):
    function: aws.lambda_.Function
    role: aws.iam.Role
    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    policy_document: pulumi.Output[str]

    def __init__(
        self, name: str, args: ChatLambdaArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:compute:Function", name, None, opts)
        spec, settings = args.spec, args.settings
        child = pulumi.ResourceOptions(parent=self)
        deployed = function_name(settings.prefix, spec.name)
        if spec.in_vpc and (not args.subnet_ids or args.security_group_id is None):
            raise ValueError(f"Lambda {spec.name!r} runs in the VPC but got no subnets")

        self.role = aws.iam.Role(
            f"{name}-role",
            description=f"Execution role of {deployed}",
            assume_role_policy=assume_role_policy("lambda.amazonaws.com"),
            tags=settings.tags,
            opts=child,
        )
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=log_group_name(deployed),
            retention_in_days=settings.log_retention_days,
            kms_key_id=args.kms_key_arn,
            tags=settings.tags,
            opts=child,
        )
        log_arn = pulumi.Output.all(args.region, args.account_id).apply(
            lambda v: f"arn:aws:logs:{v[0]}:{v[1]}:log-group:{log_group_name(deployed)}:*"
        )
        # Each entry is a statement or a list of them (`_flatten_document` joins them).
        statements: list[pulumi.Input[dict[str, Any] | list[dict[str, Any]]]] = [
            log_arn.apply(
                lambda arn: {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": arn,
                }
            ),
            {
                "Effect": "Allow",
                "Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
                "Resource": "*",
            },
        ]
        if spec.grants:
            arns = pulumi.Output.all(
                **{t: args.table_arns[t] for t in {g.table for g in spec.grants}}
            )
            statements.append(
                arns.apply(lambda resolved: dynamodb_statements(spec.grants, resolved))
            )
        statements.extend(args.statements)
        policy = aws.iam.RolePolicy(
            f"{name}-policy",
            role=self.role.id,
            policy=pulumi.Output.all(*statements).apply(_flatten_document),
            opts=child,
        )
        depends: list[pulumi.Resource] = [log_group, policy]
        if spec.in_vpc:
            depends.append(
                aws.iam.RolePolicyAttachment(
                    f"{name}-vpc-access",
                    role=self.role.name,
                    policy_arn=VPC_ACCESS_POLICY,
                    opts=child,
                )
            )

        # Every value is a table name, the pool id or the endpoint: a Pulumi input of a string.
        environment = cast(
            "dict[str, pulumi.Input[str]]",
            function_environment(
                spec,
                table_names=args.table_names,
                log_level=settings.lambda_log_level,
                user_pool_id=args.user_pool_id,
                search_endpoint=args.search_endpoint,
                push_applications=args.push_applications,
                graphql_url=args.graphql_url,
                assistant=args.assistant,
                uploads_bucket=args.uploads_bucket,
                malware_scanning=args.malware_scanning,
            ),
        )
        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=deployed,
            description=spec.description,
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            handler=handler_path(spec.name),
            code=code_archive(spec.name),
            layers=[args.layer_arn],
            role=self.role.arn,
            timeout=spec.timeout_seconds,
            memory_size=spec.memory_mb,
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=environment),
            vpc_config=self._vpc_config(spec, args),
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends),
        )
        self.policy_document = policy.policy
        self.name = self.function.name
        self.arn = self.function.arn
        self.register_outputs({"name": self.name, "arn": self.arn, "roleArn": self.role.arn})

    @staticmethod
    def _vpc_config(
        spec: LambdaFunction, args: ChatLambdaArgs
    ) -> aws.lambda_.FunctionVpcConfigArgs | None:
        if not spec.in_vpc:
            return None
        if args.subnet_ids is None or args.security_group_id is None:
            raise ValueError(f"Lambda {spec.name} runs in the VPC but got no subnets or group")
        return aws.lambda_.FunctionVpcConfigArgs(
            subnet_ids=args.subnet_ids, security_group_ids=[args.security_group_id]
        )


def _flatten_document(statements: list[Any]) -> str:
    flat: list[dict[str, Any]] = []
    for statement in statements:
        flat.extend(statement if isinstance(statement, list) else [statement])
    return policy_document(flat)


# The old names; kept while parallel branches land. The type token stays
# `chat:compute:Function`: changing it would replace every deployed Lambda.
ChatFunction = ChatLambda
ChatFunctionArgs = ChatLambdaArgs
