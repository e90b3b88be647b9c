"""The events and push resources of each stack, from the recorded program under mocks:
Pipes as the spec declares them, least-privilege roles, rules, archive, SNS applications."""

from __future__ import annotations

import json

from chatspec.events import PIPES, RULES, bus_name, event_source
from chatspec.push import APPLICATIONS_ENV, PLATFORMS
from tests.unit.helpers import as_list, role_policies, statements


def _bus(stack):
    return stack.one("aws:cloudwatch/eventBus:EventBus").state


def _table(stack, logical):
    suffix = "-" + logical.replace("_", "-")
    return next(
        t.state
        for t in stack.of_type("aws:dynamodb/table:Table")
        if t.inputs["name"].endswith(suffix) and not t.inputs["name"].endswith("-room" + suffix)
    )


def _function(stack, name):
    prefix = stack.config["realtime-chat:prefix"]
    return next(
        f.state
        for f in stack.of_type("aws:lambda/function:Function")
        if f.inputs["name"] == f"{prefix}-{name}"
    )


def _role_of(stack, role_arn):
    return next(r for r in stack.of_type("aws:iam/role:Role") if r.state["arn"] == role_arn)


def test_each_pipe_is_the_spec_filter_enrichment_and_typed_target(stack):
    prefix = stack.config["realtime-chat:prefix"]
    pipes = {p.inputs["name"]: p.inputs for p in stack.of_type("aws:pipes/pipe:Pipe")}
    assert set(pipes) == {f"{prefix}-{p.name}" for p in PIPES}
    for spec in PIPES:
        pipe = pipes[f"{prefix}-{spec.name}"]
        assert pipe["source"] == _table(stack, spec.table)["streamArn"]
        source = pipe["sourceParameters"]
        patterns = [json.loads(f["pattern"]) for f in source["filterCriteria"]["filters"]]
        assert patterns == list(spec.filters)
        stream = source["dynamodbStreamParameters"]
        assert stream["startingPosition"] == "LATEST"
        assert 0 <= stream["maximumRetryAttempts"] <= 10_000
        assert stream["onPartialBatchItemFailure"] == "AUTOMATIC_BISECT"
        assert stream["deadLetterConfig"]["arn"].endswith(f"{prefix}-events-dlq")
        assert pipe["enrichment"] == _function(stack, "events")["arn"]
        assert pipe["enrichmentParameters"]["inputTemplate"] == spec.enrichment_input_template
        assert pipe["target"] == _bus(stack)["arn"]
        target = pipe["targetParameters"]
        assert target["inputTemplate"] == "<$.detail>"
        assert target["eventbridgeEventBusParameters"] == {
            "detailType": "$.detailType",
            "source": event_source(prefix),
        }


def test_each_pipe_role_reads_its_stream_only_and_writes_this_bus_only(stack):
    prefix = stack.config["realtime-chat:prefix"]
    bus = _bus(stack)["arn"]
    enrichment = _function(stack, "events")["arn"]
    for pipe in stack.of_type("aws:pipes/pipe:Pipe"):
        role = _role_of(stack, pipe.inputs["roleArn"])
        (trust,) = statements(role.inputs["assumeRolePolicy"])
        assert trust["Principal"] == {"Service": "pipes.amazonaws.com"}
        assert trust["Condition"]["StringEquals"]["aws:SourceArn"].endswith(
            f":pipe/{pipe.inputs['name']}"
        )
        granted = {
            (action, resource)
            for s in role_policies(stack, role)
            for action in as_list(s["Action"])
            for resource in as_list(s["Resource"])
        }
        stream = pipe.inputs["source"]
        expected = {
            ("dynamodb:DescribeStream", stream),
            ("dynamodb:GetRecords", stream),
            ("dynamodb:GetShardIterator", stream),
            ("dynamodb:ListStreams", "*"),
            ("lambda:InvokeFunction", enrichment),
            ("events:PutEvents", bus),
            (
                "sqs:SendMessage",
                pipe.inputs["sourceParameters"]["dynamodbStreamParameters"]["deadLetterConfig"][
                    "arn"
                ],
            ),
        }
        key = [r for r in stack.of_type("aws:kms/key:Key")]
        if key:
            expected |= {
                ("kms:Decrypt", key[0].state["arn"]),
                ("kms:GenerateDataKey", key[0].state["arn"]),
            }
        assert granted == expected, pipe.inputs["name"]
        assert prefix in pipe.inputs["name"]


def test_rules_deliver_their_pattern_to_their_lambda_with_retries_and_a_dead_letter_queue(stack):
    prefix = stack.config["realtime-chat:prefix"]
    rules = {
        r.inputs["name"]: r
        for r in stack.of_type("aws:cloudwatch/eventRule:EventRule")
        if r.inputs.get("eventBusName") == bus_name(prefix)  # not the default bus's
    }
    targets = stack.of_type("aws:cloudwatch/eventTarget:EventTarget")
    permissions = stack.of_type("aws:lambda/permission:Permission")
    assert set(rules) == {f"{prefix}-{r.name}" for r in RULES}
    for spec in RULES:
        rule = rules[f"{prefix}-{spec.name}"]
        assert rule.inputs["eventBusName"] == bus_name(prefix)
        assert json.loads(rule.inputs["eventPattern"]) == spec.pattern(prefix)
        (target,) = [t for t in targets if t.inputs["rule"] == rule.state["name"]]
        assert target.inputs["arn"] == _function(stack, spec.target)["arn"]
        assert target.inputs["retryPolicy"]["maximumRetryAttempts"] == spec.maximum_retry_attempts
        assert target.inputs["deadLetterConfig"]["arn"].endswith(f"{prefix}-events-dlq")
        (permission,) = [p for p in permissions if p.inputs.get("sourceArn") == rule.state["arn"]]
        assert permission.inputs["principal"] == "events.amazonaws.com"
        assert permission.inputs["function"] == f"{prefix}-{spec.target}"
    (policy,) = [
        p.inputs["policy"]
        for p in stack.of_type("aws:sqs/queuePolicy:QueuePolicy")
        if p.inputs["queueUrl"].endswith(f"{prefix}-events-dlq")
    ]
    (admitted,) = statements(policy)
    assert sorted(admitted["Condition"]["ArnEquals"]["aws:SourceArn"]) == sorted(
        r.state["arn"] for r in rules.values()
    )


def test_prod_archives_every_event_for_replay_and_dev_does_not(dev, prod):
    assert dev.of_type("aws:cloudwatch/eventArchive:EventArchive") == []
    archive = prod.one("aws:cloudwatch/eventArchive:EventArchive")
    assert archive.inputs["eventSourceArn"] == _bus(prod)["arn"]
    assert archive.inputs["retentionDays"] == 90
    assert archive.protect and archive.retain_on_delete
    assert _bus(prod)["kmsKeyIdentifier"] == prod.one("aws:kms/key:Key").state["arn"]


def test_platform_applications_and_push_roles_are_scoped_to_them(stack, settings_of):
    prefix = stack.config["realtime-chat:prefix"]
    platforms = settings_of[stack.stack].push.platforms
    apps = {
        a.inputs["platform"]: a
        for a in stack.of_type("aws:sns/platformApplication:PlatformApplication")
    }
    assert set(apps) == {PLATFORMS[p] for p in platforms}
    app_arns = sorted(a.state["arn"] for a in apps.values())
    environment = _function(stack, "devices")["environment"]["variables"]
    assert sorted(json.loads(environment[APPLICATIONS_ENV]).values()) == app_arns

    def sns_grants(function):
        role = _role_of(stack, _function(stack, function)["role"])
        return {
            (action, resource)
            for s in role_policies(stack, role)
            for action in as_list(s["Action"])
            if action.startswith("sns:")
            for resource in as_list(s["Resource"])
        }

    endpoints = {
        f"arn:aws:sns:eu-west-1:{app.state['arn'].split(':')[4]}:endpoint/{platform}/"
        f"{app.inputs['name']}/*"
        for platform, app in apps.items()
    }
    assert sns_grants("devices") == {("sns:CreatePlatformEndpoint", a) for a in app_arns} | {
        ("sns:DeleteEndpoint", e) for e in endpoints
    }
    assert sns_grants("notifier") == {("sns:Publish", e) for e in endpoints} | {
        ("sns:DeleteEndpoint", e) for e in endpoints
    }
    assert all(prefix in a.inputs["name"] for a in apps.values())
