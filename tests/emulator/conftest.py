"""moto DynamoDB tables and a small fixture API for the engine's own tests.

The fixture schema and templates here are the emulator's, deliberately independent of
the chat templates (which other tests cover through the `api` fixture).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chatspec.model import DataSource, PipelineFunction, Resolver
from emulator.core import AppSyncEngine
from emulator.identity import cognito_identity, iam_identity
from emulator.testing import KEEP_BOTO3_SESSION

ITEMS = "t-items"
EVENTS = "t-events"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=ITEMS,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.create_table(
            TableName=EVENTS,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "kind", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "byKind",
                    "KeySchema": [
                        {"AttributeName": "kind", "KeyType": "HASH"},
                        {"AttributeName": "sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


SCHEMA = """
type Item @aws_cognito_user_pools @aws_iam {
  id: ID!
  name: String
  owner: String
  count: Int
  secret: String @aws_iam
  adminNote: String @aws_cognito_user_pools(cognito_groups: ["Admin"])
}
type Plain { id: ID! }
type Event @aws_cognito_user_pools {
  audit: String @aws_iam
  pk: ID!
  sk: ID!
  body: String
  kind: String
  score: Int
  tags: [String]
}
type Query {
  getItem(id: ID!): Item @aws_cognito_user_pools @aws_iam
  plain: Plain
  failing(id: ID!): Item
  handled(id: ID!): Item
  tolerant(id: ID!): Item
  legacy(id: ID!): Item
  appended: Item
  pipe(id: ID!, skip: Boolean): Item
  early(id: ID!): Item
  direct(id: ID!): Item
  invoked(id: ID!): Item
  echo(text: String!): String
  when(at: AWSDateTime!): AWSDateTime
  iamOnly: String @aws_iam
}
type Mutation {
  putItem(id: ID!, name: String, count: Int): Item
  postEvent(pk: ID!, sk: ID!, body: String, kind: String, score: Int, tags: [String]): Event
  closeRoom(pk: ID!): Event
}
type Subscription {
  onEvent(pk: ID, kind: String): Event @aws_subscribe(mutations: ["postEvent"])
  onGuarded(pk: ID!): Event @aws_subscribe(mutations: ["postEvent"])
}
"""

ERROR_GUARD = "#if($ctx.error)$util.error($ctx.error.message, $ctx.error.type)#end\n"
NONE_ECHO = '{"version": "2018-05-29", "payload": $util.toJson($ctx.args)}'

TEMPLATES: dict[str, str] = {
    "result.vtl": "$util.toJson($ctx.result)",
    "guarded-result.vtl": ERROR_GUARD + "$util.toJson($ctx.result)",
    "getItem.req.vtl": """{"version": "2018-05-29", "operation": "GetItem",
        "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)}}""",
    "putItem.req.vtl": """{"version": "2018-05-29", "operation": "PutItem",
        "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)},
        "attributeValues": $util.dynamodb.toMapValuesJson({
          "name": $ctx.args.name, "count": $util.defaultIfNull($ctx.args.count, 0),
          "owner": $ctx.identity.username, "secret": "s3cr3t", "adminNote": "note"})}""",
    "failing.req.vtl": """{"version": "2018-05-29", "operation": "UpdateItem",
        "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)},
        "update": {"expression": "SET #n = :n", "expressionNames": {"#n": "name"},
                   "expressionValues": {":n": {"S": "x"}}},
        "condition": {"expression": "attribute_exists(id)"}}""",
    "handled.res.vtl": """#if($ctx.error)
      $util.error("no such item", "NotFound", {"why": $ctx.error.type})
    #end
    $util.toJson($ctx.result)""",
    "none.req.vtl": NONE_ECHO,
    "tolerant.res.vtl": """#if($ctx.error)#set($r = {"id": "fallback"})
      #else#set($r = $ctx.result)#end
      $util.toJson($r)""",
    "failing-2017.req.vtl": """{"version": "2017-02-28", "operation": "UpdateItem",
        "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)},
        "update": {"expression": "SET #n = :n", "expressionNames": {"#n": "name"},
                   "expressionValues": {":n": {"S": "x"}}},
        "condition": {"expression": "attribute_exists(id)"}}""",
    "when.res.vtl": "$util.toJson($ctx.result.at)",
    "appended.req.vtl": '{"version": "2018-05-29", "payload": {"id": "a", "name": "n"}}',
    "appended.res.vtl": '$util.appendError("careful", "Warning")$util.toJson($ctx.result)',
    "before.vtl": '$util.qr($ctx.stash.put("seen", ["before"])){"from": "before"}',
    "fnGet.req.vtl": """#if($ctx.args.skip)#return({"id": $ctx.args.id, "name": "skipped"})#end
      $util.qr($ctx.stash.seen.add("fnGet:$ctx.prev.result.from"))
      {"version": "2018-05-29", "operation": "GetItem",
       "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)}}""",
    "fnGet.res.vtl": ERROR_GUARD + "$util.toJson($ctx.result)",
    "fnName.req.vtl": """$util.qr($ctx.stash.seen.add("fnName"))
      {"version": "2018-05-29", "payload": {"id": $util.toJson($ctx.prev.result.id),
       "name": $util.toJson("$ctx.prev.result.name/$ctx.stash.seen.size()")}}""",
    "after.vtl": "$util.toJson($ctx.result)",
    "early.before.vtl": '#return({"id": $ctx.args.id, "name": "early"})',
    "echo.res.vtl": "$util.toJson($ctx.result.text)",
    "invoke.req.vtl": """{"version": "2018-05-29", "operation": "Invoke",
        "payload": {"id": $util.toJson($ctx.args.id), "via": "template"}}""",
    "postEvent.req.vtl": """{"version": "2018-05-29", "operation": "PutItem",
        "key": {"pk": $util.dynamodb.toDynamoDBJson($ctx.args.pk),
                "sk": $util.dynamodb.toDynamoDBJson($ctx.args.sk)},
        "attributeValues": $util.dynamodb.toMapValuesJson($util.map.copyAndRemoveAllKeys(
            $ctx.args, ["pk", "sk"]))}""",
    "closeRoom.res.vtl": """$extensions.invalidateSubscriptions({
        "subscriptionField": "onGuarded", "payload": {"pk": $ctx.args.pk}})
      $util.toJson({"pk": $ctx.args.pk, "sk": "closed"})""",
    "onGuarded.req.vtl": '{"version": "2018-05-29", "payload": {}}',
    "onGuarded.res.vtl": """#if($ctx.args.pk == "forbidden")$util.unauthorized()#end
      $extensions.setSubscriptionFilter($util.transform.toSubscriptionFilter(
          {"score": {"gt": 5}}))
      $extensions.setSubscriptionInvalidationFilter({"filterGroup": [{"filters": [
          {"fieldName": "pk", "operator": "eq", "value": $ctx.args.pk}]}]})
      null""",
}

DATA_SOURCES = (
    DataSource("Items", "AMAZON_DYNAMODB", table="items"),
    DataSource("Events", "AMAZON_DYNAMODB", table="events"),
    DataSource("Fn", "AWS_LAMBDA", function="fn"),
    DataSource("None", "NONE"),
)

RESOLVERS = (
    Resolver("Query", "getItem", "UNIT", "getItem.req.vtl", "guarded-result.vtl", "Items"),
    Resolver("Query", "failing", "UNIT", "failing.req.vtl", "result.vtl", "Items"),
    Resolver("Query", "handled", "UNIT", "failing.req.vtl", "handled.res.vtl", "Items"),
    Resolver("Query", "tolerant", "UNIT", "failing.req.vtl", "tolerant.res.vtl", "Items"),
    Resolver("Query", "legacy", "UNIT", "failing-2017.req.vtl", "tolerant.res.vtl", "Items"),
    Resolver("Query", "appended", "UNIT", "appended.req.vtl", "appended.res.vtl", "None"),
    Resolver("Query", "echo", "UNIT", "none.req.vtl", "echo.res.vtl", "None"),
    Resolver("Query", "when", "UNIT", "none.req.vtl", "when.res.vtl", "None"),
    Resolver("Query", "direct", "UNIT", data_source="Fn"),
    Resolver("Query", "invoked", "UNIT", "invoke.req.vtl", "result.vtl", "Fn"),
    Resolver("Query", "pipe", "PIPELINE", "before.vtl", "after.vtl", functions=("fnGet", "fnName")),
    Resolver("Query", "early", "PIPELINE", "early.before.vtl", "after.vtl", functions=("fnGet",)),
    Resolver("Mutation", "putItem", "UNIT", "putItem.req.vtl", "guarded-result.vtl", "Items"),
    Resolver("Mutation", "postEvent", "UNIT", "postEvent.req.vtl", "guarded-result.vtl", "Events"),
    Resolver("Mutation", "closeRoom", "UNIT", "none.req.vtl", "closeRoom.res.vtl", "None"),
    Resolver("Subscription", "onGuarded", "UNIT", "onGuarded.req.vtl", "onGuarded.res.vtl", "None"),
)

FUNCTIONS = (
    PipelineFunction("fnGet", "Items", "fnGet.req.vtl", "fnGet.res.vtl"),
    PipelineFunction("fnName", "None", "fnName.req.vtl", "result.vtl"),
)


class FixtureApi:
    """The fixture schema on the engine, with callers as in `emulator.testing`."""

    def __init__(self, engine: AppSyncEngine, lambda_events: list[dict[str, Any]]):
        self.engine = engine
        self.lambda_events = lambda_events

    def call(
        self,
        query: str,
        variables: dict | None = None,
        *,
        user: str | None = "alice",
        groups: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        identity = cognito_identity(user, groups) if user else None
        return self.engine.execute(query, variables, None, identity, "AMAZON_COGNITO_USER_POOLS")

    def call_iam(self, query: str, variables: dict | None = None) -> dict[str, Any]:
        return self.engine.execute(query, variables, None, iam_identity(), "AWS_IAM")

    def subscribe(self, query: str, variables: dict | None = None, *, user: str = "alice"):
        outcome = self.engine.subscribe(
            query, variables, None, cognito_identity(user), "AMAZON_COGNITO_USER_POOLS"
        )
        if isinstance(outcome, dict):
            return outcome
        outcome.events = []
        outcome.on_data = outcome.events.append
        self.engine.registry.add(outcome)
        return outcome


def _fn_handler(events: list[dict[str, Any]]) -> Callable[[dict, Any], Any]:
    def handler(event: dict[str, Any], context: Any) -> Any:
        events.append({"event": event, "function_name": context.function_name})
        if isinstance(event, dict) and event.get("arguments", {}).get("id") == "boom":
            raise PermissionError("no entry")
        if isinstance(event, dict) and "arguments" in event:
            return {"id": event["arguments"]["id"], "name": "from lambda"}
        return {"id": event["id"], "name": event["via"]}

    return handler


@pytest.fixture
def fixture_api(dynamodb: Any) -> FixtureApi:
    events: list[dict[str, Any]] = []
    engine = AppSyncEngine(
        SCHEMA,
        dynamodb,
        {"items": ITEMS, "events": EVENTS},
        {"fn": _fn_handler(events)},
        resolvers=RESOLVERS,
        functions=FUNCTIONS,
        data_sources=DATA_SOURCES,
        template_loader=TEMPLATES.__getitem__,
        clock=lambda: 1_700_000_000.0,
    )
    return FixtureApi(engine, events)
