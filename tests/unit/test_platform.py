"""Network, sign-in, alarms, the component tree and the stack outputs."""

from __future__ import annotations

import re

import chatspec
from chatspec.auth import GROUPS
from chatspec.outputs import output_names
from components.user_pool import user_pool_shape

COMPONENT_TOKENS = {
    "chat:network:Network",
    "chat:storage:Storage",
    "chat:search:Search",
    "chat:auth:Auth",
    "chat:api:Api",
    "chat:observability:Observability",
}


def test_private_subnets_span_the_configured_zones_with_a_dynamodb_endpoint(stack, settings_of):
    zones = settings_of[stack.stack].network.availability_zone_count
    subnets = stack.of_type("aws:ec2/subnet:Subnet")
    assert len({s.inputs["availabilityZone"] for s in subnets}) == zones >= 2
    assert not any(s.inputs.get("mapPublicIpOnLaunch") for s in subnets)
    assert stack.of_type("aws:ec2/internetGateway:InternetGateway") == []
    endpoint = stack.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs
    assert endpoint["vpcEndpointType"] == "Gateway"
    assert endpoint["serviceName"] == f"com.amazonaws.{stack.outputs['region']}.dynamodb"


def test_existing_network_is_used_as_given():
    from stackrun.stack import run_stack

    subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    run = run_stack(
        "dev",
        {"network": {"mode": "existing", "vpcId": "vpc-0123456789abcdef0", "subnetIds": subnets}},
    )
    assert run.of_type("aws:ec2/vpc:Vpc") == [] and run.of_type("aws:ec2/subnet:Subnet") == []
    assert {g.inputs["vpcId"] for g in run.of_type("aws:ec2/securityGroup:SecurityGroup")} == {
        "vpc-0123456789abcdef0"
    }
    assert run.one("aws:opensearch/domain:Domain").inputs["vpcOptions"]["subnetIds"] == subnets[:1]


def test_user_pool_follows_the_settings(stack, settings_of):
    cognito = settings_of[stack.stack].cognito
    pool = stack.one("aws:cognito/userPool:UserPool").inputs
    assert pool["usernameAttributes"] == ["email"]
    policy = pool["passwordPolicy"]
    assert policy["minimumLength"] == cognito.password_minimum_length
    assert policy["requireSymbols"] == cognito.require_symbols
    assert pool["mfaConfiguration"] == cognito.mfa
    expected = "ACTIVE" if settings_of[stack.stack].deletion_protection else "INACTIVE"
    assert pool["deletionProtection"] == expected
    groups = {g.inputs["name"] for g in stack.of_type("aws:cognito/userGroup:UserGroup")}
    assert groups == {g.name for g in GROUPS} >= {"Admin", "Moderator", "User"}


def test_app_client_is_public_with_srp_and_refresh(stack):
    client = stack.one("aws:cognito/userPoolClient:UserPoolClient").inputs
    assert client["generateSecret"] is False
    assert set(client["explicitAuthFlows"]) == {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


def test_app_client_is_the_shared_shape(stack, settings_of):
    """The deployed client is `UserPoolShape.client_request`, the request the emulator sends."""
    settings = settings_of[stack.stack]
    client = stack.one("aws:cognito/userPoolClient:UserPoolClient").inputs
    request = user_pool_shape(settings.cognito).client_request(settings.prefix)
    assert client.pop("name") == request.pop("ClientName")
    client.pop("userPoolId")
    assert client == {parameter[0].lower() + parameter[1:]: v for parameter, v in request.items()}
    pool = stack.one("aws:cognito/userPool:UserPool").inputs
    assert pool["name"] == user_pool_shape(settings.cognito).pool_name(settings.prefix)


def test_alarms_cover_every_failure_and_notify_the_topic(stack):
    topic = stack.outputs["alarmTopicArn"]
    alarms = stack.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    watched = {(a.inputs["namespace"], a.inputs["metricName"]) for a in alarms}
    assert {
        ("AWS/AppSync", "5XXError"),
        ("AWS/AppSync", "Latency"),
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/Lambda", "IteratorAge"),
        ("AWS/DynamoDB", "WriteThrottleEvents"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
        ("AWS/ES", "ClusterStatus.red"),
        ("AWS/ES", "FreeStorageSpace"),
    } <= watched
    functions = {f.inputs["name"] for f in stack.of_type("aws:lambda/function:Function")}
    errors = {
        a.inputs["dimensions"]["FunctionName"] for a in alarms if a.inputs["metricName"] == "Errors"
    }
    assert errors == functions
    throttled = {
        a.inputs["dimensions"]["TableName"]
        for a in alarms
        if a.inputs["namespace"] == "AWS/DynamoDB"
    }
    assert throttled == {t.inputs["name"] for t in stack.of_type("aws:dynamodb/table:Table")}
    assert all(a.inputs["alarmActions"] == [topic] for a in alarms)
    assert len(stack.of_type("aws:cloudwatch/dashboard:Dashboard")) == 1


def test_prod_alarms_reach_the_oncall_mailbox(prod, dev):
    (subscription,) = prod.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert subscription.inputs["protocol"] == "email"
    assert dev.of_type("aws:sns/topicSubscription:TopicSubscription") == []


def test_every_resource_belongs_to_a_component_with_a_chat_token(stack):
    tokens = {r.type for r in stack.resources if not r.custom}
    assert tokens >= COMPONENT_TOKENS
    assert all(re.fullmatch(r"chat:[a-z]+:[A-Z][A-Za-z]+", t) for t in tokens)
    for resource in stack.resources:
        if resource.custom:
            component = stack.component_of(resource)
            assert component is not None, f"{resource.type} {resource.name} has no component"


def test_outputs_are_exactly_what_a_client_needs(stack):
    assert set(stack.outputs) == set(output_names())
    assert {
        "graphqlUrl",
        "userPoolClientId",
        "indexerFailureQueueUrl",
        "eventBusArn",
        "uploadsBucketName",
    } <= set(stack.outputs)
    api = stack.one("aws:appsync/graphQLApi:GraphQLApi").state
    assert stack.outputs["graphqlUrl"] == api["uris"]["GRAPHQL"]
    assert stack.outputs["realtimeUrl"].startswith("wss://")
    assert stack.outputs["userPoolId"] == stack.one("aws:cognito/userPool:UserPool").id
    assert stack.outputs["region"] == stack.config["aws:region"]
    for table in chatspec.TABLES:
        assert stack.outputs[table.output_name].endswith(table.name.replace("_", "-"))
    assert stack.outputs["searchEndpoint"].startswith("https://")
    assert stack.outputs["searchIndex"] == "messages"
    queues = {
        q.inputs["name"]: q.state["url"]
        for q in stack.of_type("aws:sqs/queue:Queue")
        if q.inputs["name"].endswith("-failures")
    }
    prefix = stack.config["realtime-chat:prefix"]
    assert stack.outputs["indexerFailureQueueUrl"] == queues[f"{prefix}-indexer-failures"]
    assert stack.outputs["filecheckFailureQueueUrl"] == queues[f"{prefix}-filecheck-failures"]
    assert len(queues) == 2
    bus = stack.one("aws:cloudwatch/eventBus:EventBus")
    assert stack.outputs["eventBusName"] == bus.state["name"]
