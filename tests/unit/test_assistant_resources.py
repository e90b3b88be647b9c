"""The assistant and the toxicity checker as deployed: their functions, least-privilege IAM
(Bedrock on the configured model only, Comprehend's one action, the API fields they call),
the rules on the bus with their patterns, and the model-error alarm; no model in the
settings means none of the assistant's resources."""

from __future__ import annotations

import json
from typing import Any

import pulumi

import chatspec
from chatspec import assistant as assistant_spec
from chatspec.events import RULES, bus_name
from components.api import Api, ApiArgs
from stackrun.stack import StackRun, run_stack
from stacksettings.settings import AssistantSettings
from tests.unit.helpers import as_list, role_policies
from tests.unit.test_component_outputs import (  # the fixture and stand-ins of the component tests
    EXISTING_SUBNETS,
    Mocked,
    all_of,
    build_search,
    mocked,  # noqa: F401
    stand_in_tables,
)

MODEL = "eu.anthropic.claude-3-haiku-20240307-v1:0"


def function_statements(run: StackRun, function: str) -> list[dict[str, Any]]:
    prefix = run.config["realtime-chat:prefix"]
    role = next(
        r
        for r in run.of_type("aws:iam/role:Role")
        if r.inputs.get("description") == f"Execution role of {prefix}-{function}"
    )
    return [{**s, "Action": as_list(s["Action"])} for s in role_policies(run, role)]


def bedrock(run: StackRun, function: str) -> list[dict[str, Any]]:
    return [
        s
        for s in function_statements(run, function)
        if any(str(a).startswith("bedrock:") for a in s["Action"])
    ]


def test_bedrock_is_allowed_on_the_configured_profile_and_its_model_only(stack, settings_of):
    settings = settings_of[stack.stack].assistant
    region = stack.config["aws:region"]
    granted = bedrock(stack, "assistant")
    assert [s["Action"] for s in granted] == [["bedrock:InvokeModel"]] * 2
    profile, model = granted
    assert profile["Resource"].startswith(f"arn:aws:bedrock:{region}:")
    assert profile["Resource"].endswith(f":inference-profile/{settings.model_id}")
    assert (
        model["Resource"] == f"arn:aws:bedrock:*::foundation-model/{settings.foundation_model_id}"
    )
    assert model["Condition"] == {
        "StringEquals": {"bedrock:InferenceProfileArn": profile["Resource"]}
    }
    for other in ("rooms", "search", "indexer", "events", "notifier", "moderation"):
        assert bedrock(stack, other) == [], other


def test_a_guardrail_is_required_on_every_invocation():
    run = run_stack(
        "prod",
        {
            "assistant": {
                "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
                "guardrailId": "gr1",
                "guardrailVersion": 4,
            }
        },
    )
    invoke, apply = bedrock(run, "assistant")
    assert invoke["Resource"].endswith("::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")
    guardrail = apply["Resource"]
    assert guardrail.endswith(":guardrail/gr1") and apply["Action"] == ["bedrock:ApplyGuardrail"]
    assert invoke["Condition"] == {
        "StringEquals": {"bedrock:GuardrailIdentifier": f"{guardrail}:4"}
    }
    [function] = [
        f
        for f in run.of_type("aws:lambda/function:Function")
        if f.inputs["name"] == "chat-prod-assistant"
    ]
    variables = function.inputs["environment"]["variables"]
    assert variables[assistant_spec.GUARDRAIL_ID_ENV] == "gr1"
    assert variables[assistant_spec.GUARDRAIL_VERSION_ENV] == "4"


def test_the_checker_may_detect_toxicity_and_hide_messages_nothing_more(stack):
    granted = function_statements(stack, "moderation")
    api = stack.one("aws:appsync/graphQLApi:GraphQLApi").state["arn"]
    comprehend = [s for s in granted if any(str(a).startswith("comprehend:") for a in s["Action"])]
    appsync = [s for s in granted if any(str(a).startswith("appsync:") for a in s["Action"])]
    assert comprehend == [
        {"Effect": "Allow", "Action": ["comprehend:DetectToxicContent"], "Resource": "*"}
    ]
    assert appsync == [
        {
            "Effect": "Allow",
            "Action": ["appsync:GraphQL"],
            "Resource": [f"{api}/types/Mutation/fields/hideMessage"],
        }
    ]
    [posting] = [
        s
        for s in function_statements(stack, "assistant")
        if any(str(a).startswith("appsync:") for a in s["Action"])
    ]
    assert posting["Resource"] == [f"{api}/types/Mutation/fields/postSystemMessage"]


def test_rules_on_the_bus_carry_the_patterns_and_bounded_retries(stack):
    prefix = stack.config["realtime-chat:prefix"]
    rules = {r.inputs["name"]: r for r in stack.of_type("aws:cloudwatch/eventRule:EventRule")}
    targets = stack.of_type("aws:cloudwatch/eventTarget:EventTarget")
    permissions = stack.of_type("aws:lambda/permission:Permission")
    functions = {f.inputs["name"]: f for f in stack.of_type("aws:lambda/function:Function")}
    queue = next(
        q for q in stack.of_type("aws:sqs/queue:Queue") if q.inputs["name"].endswith("events-dlq")
    )
    for rule in (r for r in RULES if r.target in ("assistant", "moderation")):
        created = rules[f"{prefix}-{rule.name}"]
        assert created.inputs["eventBusName"] == bus_name(prefix)
        assert json.loads(created.inputs["eventPattern"]) == rule.pattern(prefix)
        [target] = [t for t in targets if t.inputs["rule"] == created.state["name"]]
        assert target.inputs["arn"] == functions[f"{prefix}-{rule.target}"].state["arn"]
        assert target.inputs["retryPolicy"] == {
            "maximumRetryAttempts": rule.maximum_retry_attempts,
            "maximumEventAgeInSeconds": rule.maximum_event_age_seconds,
        }
        assert target.inputs["deadLetterConfig"]["arn"] == queue.state["arn"]
        [permission] = [p for p in permissions if p.inputs.get("sourceArn") == created.state["arn"]]
        assert permission.inputs["principal"] == "events.amazonaws.com"
    assistant_pattern = json.loads(rules[f"{prefix}-assistant-addressed"].inputs["eventPattern"])
    assert assistant_pattern["detail"] == {"type": ["TEXT"], "content": [{"prefix": "@assistant"}]}


def test_model_errors_have_an_alarm(stack):
    [alarm] = [
        a
        for a in stack.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs["metricName"] == assistant_spec.MODEL_ERRORS_METRIC
    ]
    assert alarm.inputs["namespace"] == assistant_spec.METRICS_NAMESPACE
    assert alarm.inputs["dimensions"] == {"service": "assistant"}
    assert alarm.inputs["alarmActions"]


def test_no_model_no_assistant():
    run = run_stack("dev", {"assistant": None})
    names = {f.inputs["name"] for f in run.of_type("aws:lambda/function:Function")}
    assert "chat-dev-assistant" not in names and "chat-dev-moderation" in names
    rules = {r.inputs["name"] for r in run.of_type("aws:cloudwatch/eventRule:EventRule")}
    assert "chat-dev-assistant-addressed" not in rules and "chat-dev-moderate-message-sent" in rules
    everything = [
        s
        for policy in run.of_type("aws:iam/rolePolicy:RolePolicy")
        for s in json.loads(policy.inputs["policy"])["Statement"]
    ]
    assert not [s for s in everything if any(str(a).startswith("bedrock:") for a in s["Action"])]
    alarms = {a.inputs["metricName"] for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert assistant_spec.MODEL_ERRORS_METRIC not in alarms


@pulumi.runtime.test
def test_the_assistant_role_policy_is_generated_from_the_settings(
    mocked: Mocked,  # noqa: F811
) -> pulumi.Output:
    m = mocked
    settings = m.with_config(
        assistant={"modelId": MODEL, "guardrailId": "abc123", "guardrailVersion": "DRAFT"}
    )
    tables = stand_in_tables(m, settings)
    search = build_search(m, settings)
    pool_id = f"{m.region}_AbCdEf123"
    api = Api(
        "api",
        ApiArgs(
            settings=settings,
            region=m.region,
            account_id=m.account_id,
            user_pool_id=pool_id,
            user_pool_arn=m.arn("cognito-idp", f"userpool/{pool_id}"),
            layer_arn=m.arn("lambda", f"layer:{settings.prefix}-dependencies:1"),
            table_names=tables.names,
            table_arns=tables.arns,
            subnet_ids=[pulumi.Output.from_input(s) for s in EXISTING_SUBNETS[:2]],
            lambda_security_group_id="sg-0lambdas00000000",
            prebuilt_functions=search.functions,
            uploads_bucket_name=f"{settings.prefix}-uploads",
            uploads_bucket_arn=f"arn:aws:s3:::{settings.prefix}-uploads",
        ),
    )
    assert isinstance(settings.assistant, AssistantSettings)

    def assistant_policy(v: dict[str, Any]) -> None:
        document = json.loads(v["policy"])["Statement"]
        wanted = m.arn("bedrock", f"inference-profile/{MODEL}")
        invoke = [s for s in document if s["Action"] == ["bedrock:InvokeModel"]]
        assert [s["Resource"] for s in invoke] == [
            wanted,
            f"arn:aws:bedrock:*::foundation-model/{settings.assistant.foundation_model_id}",
        ]
        guard = m.arn("bedrock", "guardrail/abc123") + ":DRAFT"
        assert all(
            s["Condition"]["StringEquals"]["bedrock:GuardrailIdentifier"] == guard for s in invoke
        )
        actions = {a for s in document for a in s["Action"]}
        assert not {a for a in actions if a.endswith("*")}
        assert {a for a in actions if a.startswith("bedrock:")} == {
            "bedrock:InvokeModel",
            "bedrock:ApplyGuardrail",
        }
        tables_touched = {
            r.rsplit("/", 1)[-1]
            for s in document
            if any(a.startswith("dynamodb:") for a in s["Action"])
            for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
        }
        assert tables_touched == {
            chatspec.table(g.table).deployed_name(settings.prefix)
            for g in chatspec.lambda_function("assistant").grants
        }
        assert v["url"] == v["graphql"]

    function = api.functions["assistant"]
    return m.expect(
        all_of(
            {
                "policy": function.policy_document,
                "url": function.function.environment.apply(
                    lambda e: e["variables"][assistant_spec.GRAPHQL_URL_ENV]
                ),
                "graphql": api.graphql_url,
            }
        ),
        assistant_policy,
    )
