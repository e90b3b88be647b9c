"""Message search: an OpenSearch domain inside the VPC, the Lambdas that use it, and the
stream pipeline that feeds it.

AppSync cannot reach a domain inside a VPC, so every `uses_search` Lambda is built here, in
the VPC. The domain's access policy is a separate `DomainPolicy` naming exactly those
Lambdas' roles, which breaks the cycle "roles need the domain ARN, the domain policy needs
the roles". The indexer gets its event source mapping and failure queue from
`components.stream_source` (bounded retries, bisecting, partial batch responses, pointers
parked in an encrypted queue), from which `python -m searchops.redrive` re-reads the records
while the stream still has them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

import chatspec
from components.lambda_function import ChatLambda, ChatLambdaArgs
from components.stream_source import failure_queue, stream_mapping, stream_statements
from stacksettings.settings import SearchSettings
from stacksettings.view import View

TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10"
ES_HTTP_ACTIONS = (
    "es:ESHttpDelete",
    "es:ESHttpGet",
    "es:ESHttpHead",
    "es:ESHttpPost",
    "es:ESHttpPut",
)
OPENSEARCH_SERVICE = "opensearchservice.amazonaws.com"
OPENSEARCH_SERVICE_LINKED_ROLE = "AWSServiceRoleForAmazonOpenSearchService"
SERVICE_LINKED_ROLE_DOC = (
    "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html"
)
LOG_PUBLISHING_DOC = (
    "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/"
    "createdomain-configure-slow-logs.html"
)
LOG_TYPES = {
    "ES_APPLICATION_LOGS": "application",
    "INDEX_SLOW_LOGS": "index-slow",
    "SEARCH_SLOW_LOGS": "search-slow",
}


@dataclass(frozen=True)
class DomainSettings(View):
    """The stack settings that shape the search domain, its Lambdas and queues."""

    prefix: str
    tags: dict[str, str]
    search: SearchSettings
    log_retention_days: int
    retain_on_delete: bool
    lambda_log_level: str


@dataclass
class SearchArgs:
    settings: DomainSettings
    kms_key_arn: pulumi.Input[str] | None
    subnet_ids: list[pulumi.Output[str]]
    search_security_group_id: pulumi.Input[str]
    lambda_security_group_id: pulumi.Input[str]
    layer_arn: pulumi.Input[str]
    table_names: dict[str, pulumi.Output[str]]
    table_arns: dict[str, pulumi.Output[str]]
    stream_arns: dict[str, pulumi.Output[str]]
    account_id: pulumi.Input[str]
    region: pulumi.Input[str]


def search_lambdas() -> tuple[chatspec.model.LambdaFunction, ...]:
    """The Lambdas that reach the domain (the searcher and the indexer), built in the VPC."""
    return tuple(f for f in chatspec.LAMBDAS if f.uses_search)


def log_delivery_policy(region: str, account: str, domain: str, group_arns: list[str]) -> str:
    """OpenSearch may write to exactly these groups, and only for this account's domain
    (the confused-deputy conditions LOG_PUBLISHING_DOC shows)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "es.amazonaws.com"},
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": [f"{arn}:*" for arn in group_arns],
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:aws:es:{region}:{account}:domain/{domain}"
                        },
                    },
                }
            ],
        }
    )


def domain_access_policy(domain_arn: str, role_arns: list[str]) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": sorted(role_arns)},
                    "Action": list(ES_HTTP_ACTIONS),
                    "Resource": f"{domain_arn}/*",
                }
            ],
        }
    )


OPS_DYNAMODB_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
    "dynamodb:Query",
    "dynamodb:Scan",
)
OPS_STREAM_ACTIONS = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")
OPS_QUEUE_ACTIONS = (
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
)


def ops_trust_policy(account_id: str) -> str:
    """Who may become the operator: principals of this account whose own IAM policies allow
    sts:AssumeRole on the role (the account decides; nothing outside it can)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def ops_statements(
    table_arn: str,
    stream_arn: str,
    queue_arns: list[str],
    domain_arn: str,
    kms_key_arn: str | None,
) -> list[dict]:
    """What `searchops` (redrive, reindex, check) touches, and nothing else."""
    statements: list[dict] = [
        {"Effect": "Allow", "Action": list(OPS_DYNAMODB_ACTIONS), "Resource": table_arn},
        {"Effect": "Allow", "Action": list(OPS_STREAM_ACTIONS), "Resource": stream_arn},
        {"Effect": "Allow", "Action": list(OPS_QUEUE_ACTIONS), "Resource": sorted(queue_arns)},
        {
            "Effect": "Allow",
            "Action": list(ES_HTTP_ACTIONS),
            "Resource": [domain_arn, f"{domain_arn}/*"],
        },
    ]
    if kms_key_arn:
        statements.append({"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": kms_key_arn})
    return statements


class Search(pulumi.ComponentResource):
    endpoint: pulumi.Output[str]
    domain_arn: pulumi.Output[str]
    domain_name: pulumi.Output[str]
    functions: dict[str, ChatLambda]
    failure_queues: dict[str, aws.sqs.Queue]
    ops_role: aws.iam.Role

    def __init__(
        self, name: str, args: SearchArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:search:Search", name, None, opts)
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)
        domain = self._domain(name, args, child)
        self.endpoint = domain.endpoint
        self.domain_arn = domain.arn
        self.domain_name = domain.domain_name

        self.functions = {}
        self.failure_queues = {}
        for spec in search_lambdas():
            statements: list = []
            if spec.uses_search:
                statements.append(
                    domain.arn.apply(
                        lambda arn: {
                            "Effect": "Allow",
                            "Action": list(ES_HTTP_ACTIONS),
                            "Resource": [arn, f"{arn}/*"],
                        }
                    )
                )
            queue = None
            if spec.stream_source:
                queue = failure_queue(
                    f"{name}-{spec.name}-failures",
                    prefix=settings.prefix,
                    function=spec.name,
                    kms_key_arn=args.kms_key_arn,
                    tags=settings.tags,
                    retain_on_delete=settings.retain_on_delete,
                    parent=self,
                )
                self.failure_queues[spec.name] = queue
                statements += stream_statements(
                    args.stream_arns[spec.stream_source], queue.arn, args.kms_key_arn
                )
            function = ChatLambda(
                f"{name}-{spec.name}",
                ChatLambdaArgs.for_spec(
                    spec,
                    args,
                    statements,
                    search_endpoint=domain.endpoint.apply(lambda e: f"https://{e}")
                    if spec.uses_search
                    else None,
                ),
                opts=child,
            )
            self.functions[spec.name] = function
            if spec.stream_source and queue is not None:
                stream_mapping(
                    f"{name}-{spec.name}-stream",
                    spec,
                    function_arn=function.function.arn,
                    stream_arn=args.stream_arns[spec.stream_source],
                    queue_arn=queue.arn,
                    tags=settings.tags,
                    opts=child,
                )

        self.ops_role = self._ops_role(name, args, domain, child)
        searchers = [
            f.role.arn for s, f in self.functions.items() if chatspec.lambda_function(s).uses_search
        ]
        searchers.append(self.ops_role.arn)
        aws.opensearch.DomainPolicy(
            f"{name}-access",
            domain_name=domain.domain_name,
            access_policies=pulumi.Output.all(domain.arn, *searchers).apply(
                lambda v: domain_access_policy(v[0], list(v[1:]))
            ),
            opts=child,
        )
        self.register_outputs(
            {
                "endpoint": self.endpoint,
                "domainArn": self.domain_arn,
                "functionNames": {n: f.name for n, f in self.functions.items()},
                "opsRoleArn": self.ops_role.arn,
            }
        )

    def _ops_role(
        self,
        name: str,
        args: SearchArgs,
        domain: aws.opensearch.Domain,
        child: pulumi.ResourceOptions,
    ) -> aws.iam.Role:
        """The role operators assume to run `searchops` against this stack."""
        role = aws.iam.Role(
            f"{name}-ops",
            name=f"{args.settings.prefix}-search-ops",
            description="Runs searchops (redrive, reindex, check) on the messages index",
            assume_role_policy=pulumi.Output.from_input(args.account_id).apply(ops_trust_policy),
            tags=args.settings.tags,
            opts=child,
        )
        source = next(f.stream_source for f in search_lambdas() if f.stream_source)
        document = pulumi.Output.all(
            table=args.table_arns[source],
            stream=args.stream_arns[source],
            queues=pulumi.Output.all(*[q.arn for q in self.failure_queues.values()]),
            domain=domain.arn,
            key=pulumi.Output.from_input(args.kms_key_arn) if args.kms_key_arn else None,
        ).apply(
            lambda v: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": ops_statements(
                        v["table"], v["stream"], list(v["queues"]), v["domain"], v["key"]
                    ),
                }
            )
        )
        aws.iam.RolePolicy(f"{name}-ops-policy", role=role.id, policy=document, opts=child)
        return role

    def _domain(
        self, name: str, args: SearchArgs, child: pulumi.ResourceOptions
    ) -> aws.opensearch.Domain:
        settings = args.settings
        search = settings.search
        domain_name = f"{settings.prefix}-search"
        groups = {}
        for log_type, suffix in LOG_TYPES.items():
            groups[log_type] = aws.cloudwatch.LogGroup(
                f"{name}-{suffix}-logs",
                name=f"/aws/opensearch/{domain_name}/{suffix}",
                retention_in_days=settings.log_retention_days,
                kms_key_id=args.kms_key_arn,
                tags=settings.tags,
                opts=child,
            )
        log_policy = aws.cloudwatch.LogResourcePolicy(
            f"{name}-log-delivery",
            policy_name=f"{domain_name}-log-delivery",
            policy_document=pulumi.Output.all(
                args.region, args.account_id, *[g.arn for g in groups.values()]
            ).apply(lambda v: log_delivery_policy(v[0], v[1], domain_name, list(v[2:]))),
            opts=child,
        )
        zone_count = search.availability_zone_count if search.zone_awareness else 1
        if len(args.subnet_ids) < zone_count:
            raise ValueError(
                f"the search domain spans {zone_count} zones but the network has "
                f"{len(args.subnet_ids)} subnets"
            )
        depends: list[pulumi.Resource] = [log_policy]
        if search.service_linked_role == "create":
            depends.append(
                aws.iam.ServiceLinkedRole(
                    f"{name}-service-linked-role",
                    aws_service_name=OPENSEARCH_SERVICE,
                    description="Lets OpenSearch place the chat search domain in the VPC",
                    opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
                )
            )
        else:
            # Fails at preview, naming the role, in an account that does not have it.
            aws.iam.get_role_output(name=OPENSEARCH_SERVICE_LINKED_ROLE)
        return aws.opensearch.Domain(
            f"{name}-domain",
            domain_name=domain_name,
            engine_version=search.engine_version,
            cluster_config=aws.opensearch.DomainClusterConfigArgs(
                instance_type=search.instance_type,
                instance_count=search.instance_count,
                dedicated_master_enabled=search.dedicated_master_enabled,
                dedicated_master_type=search.dedicated_master_type,
                dedicated_master_count=search.dedicated_master_count or None,
                zone_awareness_enabled=search.zone_awareness,
                zone_awareness_config=aws.opensearch.DomainClusterConfigZoneAwarenessConfigArgs(
                    availability_zone_count=search.availability_zone_count
                )
                if search.zone_awareness
                else None,
            ),
            ebs_options=aws.opensearch.DomainEbsOptionsArgs(
                ebs_enabled=True, volume_type="gp3", volume_size=search.volume_size_gb
            ),
            encrypt_at_rest=aws.opensearch.DomainEncryptAtRestArgs(
                enabled=True, kms_key_id=args.kms_key_arn
            ),
            node_to_node_encryption=aws.opensearch.DomainNodeToNodeEncryptionArgs(enabled=True),
            domain_endpoint_options=aws.opensearch.DomainDomainEndpointOptionsArgs(
                enforce_https=True, tls_security_policy=TLS_POLICY
            ),
            vpc_options=aws.opensearch.DomainVpcOptionsArgs(
                subnet_ids=args.subnet_ids[:zone_count],
                security_group_ids=[args.search_security_group_id],
            ),
            log_publishing_options=[
                aws.opensearch.DomainLogPublishingOptionArgs(
                    log_type=log_type, cloudwatch_log_group_arn=group.arn, enabled=True
                )
                for log_type, group in groups.items()
            ],
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=depends,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            ),
        )
