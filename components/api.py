"""The AppSync GraphQL API: schema, auth modes, logging, data sources, resolvers, the Lambdas
behind Lambda data sources (those not built by the search component) and, when configured,
a WAF web ACL with a per-IP rate rule."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

import chatspec
from components import ai_permissions
from components.data_sources import create_data_source
from components.iam_documents import assume_role_policy
from components.lambda_function import ChatLambda, ChatLambdaArgs
from components.resolvers import create_function, create_resolver
from stacksettings.settings import PROJECT_DIR, AssistantSettings
from stacksettings.view import View

SCHEMA_PATH = PROJECT_DIR / "schema.graphql"
APPSYNC_LOGS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs"


@dataclass(frozen=True)
class ApiSettings(View):
    """The stack settings that shape the API, its log group, WAF and its direct Lambdas."""

    prefix: str
    tags: dict[str, str]
    appsync_field_log_level: str
    appsync_xray: bool
    appsync_query_depth_limit: int
    appsync_resolver_count_limit: int
    appsync_introspection: bool
    log_retention_days: int
    waf_rate_limit: int | None
    lambda_log_level: str
    assistant: AssistantSettings | None
    customer_managed_key: bool
    malware_scanning: bool


@dataclass
class ApiArgs:
    settings: ApiSettings
    region: pulumi.Input[str]
    account_id: pulumi.Input[str]
    user_pool_id: pulumi.Input[str]
    user_pool_arn: pulumi.Input[str]
    layer_arn: pulumi.Input[str]
    table_names: dict[str, pulumi.Output[str]]
    table_arns: dict[str, pulumi.Output[str]]
    subnet_ids: list[pulumi.Output[str]]
    lambda_security_group_id: pulumi.Input[str]
    prebuilt_functions: dict[str, ChatLambda] = field(default_factory=dict)
    kms_key_arn: pulumi.Input[str] | None = None
    uploads_bucket_name: pulumi.Input[str] | None = None
    uploads_bucket_arn: pulumi.Input[str] | None = None


def uploads_statements(
    args: ApiArgs, spec: chatspec.model.LambdaFunction
) -> list[pulumi.Output[dict]]:
    """The spec's `bucket_grants` on the uploads bucket (presigning acts with the signer's
    permissions, so these are what a presigned POST or GET may do) and, with the stack's
    KMS key, its data keys. No listing, nothing outside the granted prefixes."""
    if args.uploads_bucket_arn is None:
        raise ValueError("a Lambda uses the uploads bucket but the API got none")
    statements: list[pulumi.Output[dict]] = [
        pulumi.Output.from_input(args.uploads_bucket_arn).apply(
            lambda arn, grant=grant: {  # type: ignore[misc]
                "Effect": "Allow",
                "Action": list(grant.actions),
                "Resource": f"{arn}/{grant.prefix}*",
            }
        )
        for grant in spec.bucket_grants
    ]
    if args.settings.customer_managed_key and args.kms_key_arn is not None:
        statements.append(
            pulumi.Output.from_input(args.kms_key_arn).apply(
                lambda arn: {
                    "Effect": "Allow",
                    "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                    "Resource": arn,
                }
            )
        )
    return statements


class Api(pulumi.ComponentResource):
    api_id: pulumi.Output[str]
    api_arn: pulumi.Output[str]
    graphql_url: pulumi.Output[str]
    realtime_url: pulumi.Output[str]
    functions: dict[str, ChatLambda]

    def __init__(
        self, name: str, args: ApiArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:api:Api", name, None, opts)
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)

        logs_role = aws.iam.Role(
            f"{name}-logs-role",
            description="AppSync writes the API's logs",
            assume_role_policy=assume_role_policy("appsync.amazonaws.com"),
            tags=settings.tags,
            opts=child,
        )
        logs_attachment = aws.iam.RolePolicyAttachment(
            f"{name}-logs-role", role=logs_role.name, policy_arn=APPSYNC_LOGS_POLICY, opts=child
        )
        api = aws.appsync.GraphQLApi(
            f"{name}-graphql",
            name=f"{settings.prefix}-api",
            authentication_type="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=aws.appsync.GraphQLApiUserPoolConfigArgs(
                default_action="ALLOW", user_pool_id=args.user_pool_id, aws_region=args.region
            ),
            additional_authentication_providers=[
                aws.appsync.GraphQLApiAdditionalAuthenticationProviderArgs(
                    authentication_type="AWS_IAM"
                )
            ],
            schema=SCHEMA_PATH.read_text(encoding="utf-8"),
            log_config=aws.appsync.GraphQLApiLogConfigArgs(
                cloudwatch_logs_role_arn=logs_role.arn,
                field_log_level=settings.appsync_field_log_level,
                exclude_verbose_content=settings.appsync_field_log_level != "ALL",
            ),
            xray_enabled=settings.appsync_xray,
            query_depth_limit=settings.appsync_query_depth_limit,
            resolver_count_limit=settings.appsync_resolver_count_limit,
            introspection_config="ENABLED" if settings.appsync_introspection else "DISABLED",
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[logs_attachment]),
        )
        aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=api.id.apply(lambda api_id: f"/aws/appsync/apis/{api_id}"),
            retention_in_days=settings.log_retention_days,
            kms_key_id=args.kms_key_arn,
            tags=settings.tags,
            opts=child,
        )

        self.functions = dict(args.prebuilt_functions)
        graphql_url = api.uris.apply(lambda uris: uris["GRAPHQL"])
        for spec in chatspec.LAMBDAS:
            if spec.name in self.functions:
                continue
            if spec.uses_bedrock and settings.assistant is None:
                continue  # no model in the stack settings: no assistant at all
            self.functions[spec.name] = self._function(name, spec, args, api, graphql_url)

        data_sources = {
            source.name: create_data_source(
                name,
                source,
                api=api,
                region=args.region,
                table_names=args.table_names,
                table_arns=args.table_arns,
                function_arns={n: f.arn for n, f in self.functions.items()},
                tags=settings.tags,
                parent=self,
            )
            for source in chatspec.DATA_SOURCES
        }
        pipeline_functions = {
            spec.name: create_function(
                name,
                spec,
                api=api,
                data_sources=data_sources,
                table_names=args.table_names,
                parent=self,
            )
            for spec in chatspec.PIPELINE_FUNCTIONS
        }
        for wiring in chatspec.RESOLVERS:
            create_resolver(
                name,
                wiring,
                api=api,
                data_sources=data_sources,
                functions=pipeline_functions,
                table_names=args.table_names,
                parent=self,
            )
        if settings.waf_rate_limit is not None:
            self._web_acl(name, settings, api, settings.waf_rate_limit)

        self.api_id = api.id
        self.api_arn = api.arn
        self.graphql_url = api.uris.apply(lambda uris: uris["GRAPHQL"])
        self.realtime_url = api.uris.apply(lambda uris: uris["REALTIME"])
        self.register_outputs(
            {"apiId": self.api_id, "graphqlUrl": self.graphql_url, "realtimeUrl": self.realtime_url}
        )

    def _function(
        self,
        name: str,
        spec: chatspec.model.LambdaFunction,
        args: ApiArgs,
        api: aws.appsync.GraphQLApi,
        graphql_url: pulumi.Output[str],
    ) -> ChatLambda:
        statements: list = []
        assistant = args.settings.assistant if spec.uses_bedrock else None
        if assistant is not None:
            statements.append(
                pulumi.Output.all(args.region, args.account_id).apply(
                    lambda v: ai_permissions.bedrock_statements(assistant, v[0], v[1])
                )
            )
        if spec.uses_comprehend:
            statements.append(ai_permissions.comprehend_statement())
        if spec.api_fields:
            statements.append(
                api.arn.apply(lambda arn: ai_permissions.api_statement(arn, spec.api_fields))
            )
        if spec.uses_cognito:
            statements.append(
                pulumi.Output.from_input(args.user_pool_arn).apply(
                    lambda arn: {
                        "Effect": "Allow",
                        "Action": ["cognito-idp:AdminGetUser", "cognito-idp:ListUsers"],
                        "Resource": arn,
                    }
                )
            )
        if spec.uses_uploads:
            statements.extend(uploads_statements(args, spec))
        if spec.uses_search:
            raise ValueError(
                f"Lambda {spec.name!r} uses search and must come from the search component"
            )
        function_args = ChatLambdaArgs.for_spec(
            spec,
            args,
            statements,
            user_pool_id=args.user_pool_id if spec.uses_cognito else None,
            uploads_bucket=args.uploads_bucket_name if spec.uses_uploads else None,
        )
        function_args.graphql_url = graphql_url if spec.api_fields else None
        function_args.assistant = assistant
        function_args.malware_scanning = bool(spec.bucket_source) and args.settings.malware_scanning
        return ChatLambda(
            f"{name}-{spec.name}", function_args, opts=pulumi.ResourceOptions(parent=self)
        )

    def _web_acl(
        self, name: str, settings: ApiSettings, api: aws.appsync.GraphQLApi, limit: int
    ) -> None:
        metric = f"{settings.prefix}-api"
        acl = aws.wafv2.WebAcl(
            f"{name}-waf",
            name=f"{settings.prefix}-api",
            description="Per-IP rate limit on the chat API",
            scope="REGIONAL",
            default_action=aws.wafv2.WebAclDefaultActionArgs(
                allow=aws.wafv2.WebAclDefaultActionAllowArgs()
            ),
            rules=[
                aws.wafv2.WebAclRuleArgs(
                    name="per-ip-rate-limit",
                    priority=0,
                    action=aws.wafv2.WebAclRuleActionArgs(
                        block=aws.wafv2.WebAclRuleActionBlockArgs()
                    ),
                    statement=aws.wafv2.WebAclRuleStatementArgs(
                        rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                            limit=limit, aggregate_key_type="IP"
                        )
                    ),
                    visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(
                        cloudwatch_metrics_enabled=True,
                        metric_name=f"{metric}-rate-limit",
                        sampled_requests_enabled=True,
                    ),
                )
            ],
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
            ),
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.wafv2.WebAclAssociation(
            f"{name}-waf",
            resource_arn=api.arn,
            web_acl_arn=acl.arn,
            opts=pulumi.ResourceOptions(parent=self),
        )
