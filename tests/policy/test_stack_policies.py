"""Stack policies look across resources: each objects to a broken stack, accepts a whole one."""

from __future__ import annotations

import pytest

from policy.chat_policies import POLICIES
from policy.evaluation import evaluate
from tests.policy.resources import TAGS, custom, resource

TABLE_ARN = "arn:aws:dynamodb:eu-west-1:1:table/chat-prod-messages"
STREAM_ARN = f"{TABLE_ARN}/stream/2026"
FUNCTION_ARN = "arn:aws:lambda:eu-west-1:1:function:chat-prod-rooms"
API_ARN = "arn:aws:appsync:eu-west-1:1:apis/abc"


def whole_stack(stack: str = "prod") -> list:
    """A small stack satisfying every stack policy."""
    return [
        resource(
            "aws:dynamodb/table:Table",
            stack,
            name="messages",
            outputs={"arn": TABLE_ARN, "streamArn": STREAM_ARN},
        ),
        custom(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            {
                "namespace": "AWS/DynamoDB",
                "metricName": "ThrottledRequests",
                "dimensions": {"TableName": "chat-prod-messages"},
                "tags": TAGS,
            },
            stack,
            name="messages-throttles",
        ),
        resource(
            "aws:lambda/function:Function", stack, name="rooms", outputs={"arn": FUNCTION_ARN}
        ),
        resource("aws:cloudwatch/logGroup:LogGroup", stack, name="rooms-logs"),
        resource(
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            stack,
            {"eventSourceArn": STREAM_ARN, "functionName": FUNCTION_ARN},
            name="indexer",
        ),
        custom(
            "aws:appsync/dataSource:DataSource",
            {
                "name": "RoomsLambda",
                "type": "AWS_LAMBDA",
                "lambdaConfig": {"functionArn": FUNCTION_ARN},
            },
            stack,
            name="ds-rooms",
        ),
        custom(
            "aws:appsync/dataSource:DataSource",
            {"name": "RoomMembersTable", "type": "AMAZON_DYNAMODB"},
            stack,
            name="ds-members",
        ),
        custom(
            "aws:appsync/function:Function",
            {"name": "getCallerMembership", "dataSource": "RoomMembersTable"},
            stack,
            name="fn-membership",
            outputs={"functionId": "fn-1"},
        ),
        custom(
            "aws:appsync/resolver:Resolver",
            {"type": "Query", "field": "myRooms", "kind": "UNIT", "dataSource": "RoomsLambda"},
            stack,
            name="r-myrooms",
        ),
        custom(
            "aws:appsync/resolver:Resolver",
            {
                "type": "Mutation",
                "field": "joinRoom",
                "kind": "PIPELINE",
                "pipelineConfig": {"functions": ["fn-1"]},
            },
            stack,
            name="r-join",
        ),
        resource("aws:appsync/graphQLApi:GraphQLApi", stack, name="api", outputs={"arn": API_ARN}),
        custom(
            "aws:wafv2/webAcl:WebAcl",
            {
                "rules": [
                    {
                        "name": "rate",
                        "statement": {
                            "rateBasedStatement": {"limit": 2000.0, "aggregateKeyType": "IP"}
                        },
                    }
                ],
                "tags": TAGS,
            },
            stack,
            name="acl",
        ),
        custom(
            "aws:wafv2/webAclAssociation:WebAclAssociation",
            {"resourceArn": API_ARN, "webAclArn": "arn:acl"},
            stack,
            name="acl-api",
        ),
        resource("aws:opensearch/domain:Domain", stack, name="search"),
        custom(
            "aws:iam/serviceLinkedRole:ServiceLinkedRole",
            {"awsServiceName": "opensearchservice.amazonaws.com"},
            stack,
            name="search-slr",
        ),
    ]


def _replace(resources, name, **changes):
    out = []
    for r in resources:
        if r.name == name:
            inputs = {**r.inputs, **changes.get("inputs", {})}
            r = type(r)(r.type, r.name, r.urn, inputs, changes.get("outputs", r.outputs), r.protect)
        out.append(r)
    return out


def _without(resources, name):
    return [r for r in resources if r.name != name]


BREAKS = {
    "dynamodb-throttle-alarm": lambda s: _without(s, "messages-throttles"),
    "lambda-log-group": lambda s: _without(s, "rooms-logs"),
    "appsync-resolver-data-source-exists": lambda s: _without(s, "ds-members"),
    "lambda-timeout-below-trigger": lambda s: _replace(s, "rooms", inputs={"timeout": 30.0}),
    "appsync-waf-prod": lambda s: _without(s, "acl-api"),
    "dynamodb-stream-where-indexed": lambda s: _replace(
        s, "messages", inputs={"streamEnabled": False}
    ),
}
ADVISORY_CASE = "opensearch-service-linked-role"  # its own test, below
MORE_BREAKS = [
    ("appsync-resolver-data-source-exists", lambda s: _without(s, "fn-membership")),
    ("appsync-resolver-data-source-exists", lambda s: _without(s, "ds-rooms")),
    ("appsync-waf-prod", lambda s: _replace(s, "acl", inputs={"rules": []})),
    ("dynamodb-stream-where-indexed", lambda s: _replace(s, "messages", outputs={})),
]


def _run(name, resources, stack="prod"):
    return evaluate(stack, resources, [p for p in POLICIES if p.name == name])


def test_whole_stack_passes_every_policy():
    assert evaluate("prod", whole_stack(), POLICIES) == []


@pytest.mark.parametrize(("policy", "breaks"), [*BREAKS.items(), *MORE_BREAKS])
def test_stack_policy_reports_the_broken_stack(policy, breaks):
    findings = _run(policy, breaks(whole_stack()))
    assert findings and all(f.enforcement == "mandatory" for f in findings)
    assert all("Remediation: " in f.message for f in findings)


def test_every_stack_policy_has_a_case():
    from pulumi_policy import StackValidationPolicy

    stack_policies = {p.name for p in POLICIES if isinstance(p, StackValidationPolicy)}
    assert stack_policies == set(BREAKS) | {ADVISORY_CASE}


def test_waf_is_required_on_prod_only():
    assert _run("appsync-waf-prod", _without(whole_stack("dev"), "acl-api"), "dev") == []


def test_findings_name_the_offending_resource():
    [finding] = _run("dynamodb-throttle-alarm", _without(whole_stack(), "messages-throttles"))
    assert finding.resource_name == "messages"
    assert finding.resource_type == "aws:dynamodb/table:Table"


def test_a_vpc_domain_without_the_service_linked_role_is_reported_as_advice():
    """Advisory: with `search.serviceLinkedRole: existing` the role is the account's, looked
    up by the program (`aws.iam.get_role`), so the stack rightly declares none."""
    findings = _run("opensearch-service-linked-role", _without(whole_stack(), "search-slr"))
    assert findings and all(f.enforcement == "advisory" for f in findings)
    assert [f.resource_name for f in findings] == ["search"]
    assert _run("opensearch-service-linked-role", whole_stack()) == []
