"""Every taggable resource says which project and environment it belongs to.

pulumi-aws ships no machine-readable list of taggable types, so `TAGGABLE_TYPES` names
the ones this program deploys (a test checks each against pulumi-aws's `tags` argument).
The keys match the stack setting `realtime-chat:tags` (`project`, `environment`); the
policy config `requiredTags` overrides them.
"""

from pulumi_policy import Severity

from .._support import dig, resource_policy

DEFAULT_REQUIRED_TAGS = ("project", "environment")

TAGGABLE_TYPES = frozenset(
    {
        "aws:appsync/graphQLApi:GraphQLApi",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cognito/userPool:UserPool",
        "aws:dynamodb/table:Table",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ec2/routeTable:RouteTable",
        "aws:iam/policy:Policy",
        "aws:iam/role:Role",
        "aws:kms/key:Key",
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:lambda/function:Function",
        "aws:opensearch/domain:Domain",
        "aws:sns/topic:Topic",
        "aws:sqs/queue:Queue",
        "aws:wafv2/webAcl:WebAcl",
    }
)


def _effective_tags(args) -> dict:
    """Resource tags over the provider's default tags, as AWS will apply them."""
    tags: dict = {}
    if args.provider is not None:
        tags.update(dig(args.provider.props, "defaultTags.tags") or {})
    tags.update(dig(args.props, "tagsAll") or {})
    tags.update(dig(args.props, "tags") or {})
    return tags


def _check(args):
    required = args.get_config().get("requiredTags") or DEFAULT_REQUIRED_TAGS
    tags = _effective_tags(args)
    missing = [key for key in required if not tags.get(key)]
    if missing:
        yield f"tags {missing} are missing."


POLICY = resource_policy(
    name="required-tags",
    description=(
        "Cost reports and incident responders find a stack's resources by their project "
        "and environment tags; an untagged resource is invisible to both."
    ),
    resource_types=TAGGABLE_TYPES,
    checks="the resource carries the required tags",
    remediation=(
        "pass tags=settings.tags to the resource (or set the provider's default_tags); the "
        "keys come from the stack setting realtime-chat:tags."
    ),
    check=_check,
    severity=Severity.LOW,
    tags=("cost",),
    link="https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html",
)
