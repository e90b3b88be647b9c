"""A small stack that satisfies every stack policy, and ways to break it.

Built by hand from the resource shapes the program records (`tests.policy.resources`), so
the stack policy tests do not depend on the Pulumi program: each breaks one link between
resources and expects its policy to object.
"""

from __future__ import annotations

from tests.policy.resources import TAGS, custom, resource

TABLE_ARN = "arn:aws:dynamodb:eu-west-1:1:table/chat-prod-messages"
STREAM_ARN = f"{TABLE_ARN}/stream/2026"
FUNCTION_ARN = "arn:aws:lambda:eu-west-1:1:function:chat-prod-rooms"
API_ARN = "arn:aws:appsync:eu-west-1:1:apis/abc"
BUS_ARN = "arn:aws:events:eu-west-1:1:event-bus/chat-prod-events"


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
        resource("aws:pipes/pipe:Pipe", stack, {"source": STREAM_ARN}, name="messages-events"),
        custom(
            "aws:cloudwatch/eventBus:EventBus",
            {"name": f"chat-{stack}-events", "tags": TAGS},
            stack,
            name="bus",
            outputs={"arn": BUS_ARN},
        ),
        custom(
            "aws:cloudwatch/eventArchive:EventArchive",
            {"eventSourceArn": BUS_ARN, "retentionDays": 90.0},
            stack,
            name="archive",
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


def replaced(resources: list, name: str, **changes) -> list:
    """`resources` with `name`'s inputs updated and, if given, its outputs replaced."""
    out = []
    for r in resources:
        if r.name == name:
            inputs = {**r.inputs, **changes.get("inputs", {})}
            r = type(r)(r.type, r.name, r.urn, inputs, changes.get("outputs", r.outputs), r.protect)
        out.append(r)
    return out


def without(resources: list, name: str) -> list:
    return [r for r in resources if r.name != name]
