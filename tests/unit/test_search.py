"""The search domain inside the VPC and the stream pipeline that cannot retry forever."""

from __future__ import annotations

import json

import chatspec
from chatspec.aws_limits import (
    DYNAMODB_STREAM_RETENTION,
    LAMBDA_STREAM_MAX_RETRY_ATTEMPTS,
    LAMBDA_STREAM_MIN_RECORD_AGE,
    SQS_MAX_MESSAGE_RETENTION,
)
from components.stream_source import STREAM_REDRIVE_WINDOW_SECONDS
from tests.unit.helpers import as_list, role_policies, statements


def test_domain_is_in_the_vpc_with_https_and_encryption(stack, settings_of):
    settings = settings_of[stack.stack].search
    domain = stack.one("aws:opensearch/domain:Domain").inputs
    security = {g.id: g for g in stack.of_type("aws:ec2/securityGroup:SecurityGroup")}
    subnets = {s.id for s in stack.of_type("aws:ec2/subnet:Subnet")}
    vpc = domain["vpcOptions"]
    assert set(vpc["subnetIds"]) <= subnets
    assert len(vpc["subnetIds"]) == (
        settings.availability_zone_count if settings.zone_awareness else 1
    )
    assert all(g in security for g in vpc["securityGroupIds"])
    assert domain["domainEndpointOptions"]["enforceHttps"] is True
    assert domain["domainEndpointOptions"]["tlsSecurityPolicy"].startswith("Policy-Min-TLS-1-2")
    assert domain["nodeToNodeEncryption"]["enabled"] is True
    assert domain["encryptAtRest"]["enabled"] is True
    logged = {o["logType"] for o in domain["logPublishingOptions"] if o["enabled"]}
    assert {"ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"} <= logged
    cluster = domain["clusterConfig"]
    assert cluster["instanceType"] == settings.instance_type
    assert cluster["instanceCount"] == settings.instance_count
    assert bool(cluster.get("dedicatedMasterEnabled")) == settings.dedicated_master_enabled
    assert bool(cluster.get("zoneAwarenessEnabled")) == settings.zone_awareness
    assert domain["ebsOptions"]["volumeSize"] == settings.volume_size_gb


def test_prod_domain_uses_the_stack_key_and_multi_az_masters(prod):
    domain = prod.one("aws:opensearch/domain:Domain")
    assert domain.inputs["encryptAtRest"]["kmsKeyId"] == prod.one("aws:kms/key:Key").state["arn"]
    assert domain.inputs["clusterConfig"]["dedicatedMasterCount"] == 3
    assert domain.inputs["clusterConfig"]["zoneAwarenessConfig"]["availabilityZoneCount"] == 3
    assert domain.protect


def test_search_security_group_admits_only_the_lambdas(stack):
    groups = stack.of_type("aws:ec2/securityGroup:SecurityGroup")
    domain = stack.one("aws:opensearch/domain:Domain").inputs
    search_group = next(g for g in groups if g.id in domain["vpcOptions"]["securityGroupIds"])
    lambda_groups = {
        sg
        for f in stack.of_type("aws:lambda/function:Function")
        if "vpcConfig" in f.inputs
        for sg in f.inputs["vpcConfig"]["securityGroupIds"]
    }
    (rule,) = search_group.inputs["ingress"]
    assert rule["fromPort"] == rule["toPort"] == 443
    assert set(rule["securityGroups"]) == lambda_groups
    assert not rule.get("cidrBlocks")


def test_the_ops_role_reaches_exactly_what_searchops_uses(stack, settings_of):
    settings = settings_of[stack.stack]
    role = next(
        r
        for r in stack.of_type("aws:iam/role:Role")
        if r.inputs.get("name") == f"{settings.prefix}-search-ops"
    )
    assert role.state["arn"] == stack.outputs["searchOpsRoleArn"]
    (trusted,) = statements(role.inputs["assumeRolePolicy"])
    assert trusted["Principal"]["AWS"].endswith(":root") and trusted["Action"] == "sts:AssumeRole"
    granted = {
        (action, resource)
        for statement in role_policies(stack, role)
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    messages = next(
        t.state
        for t in stack.of_type("aws:dynamodb/table:Table")
        if t.inputs["name"].endswith("-messages")
    )
    (queue,) = indexer_queues(stack)
    domain = stack.one("aws:opensearch/domain:Domain").state["arn"]
    assert ("dynamodb:Scan", messages["arn"]) in granted
    assert ("dynamodb:GetRecords", messages["streamArn"]) in granted
    assert ("sqs:DeleteMessage", queue.state["arn"]) in granted
    assert ("es:ESHttpPost", f"{domain}/*") in granted
    writes = {
        a
        for a, _ in granted
        if a.startswith("dynamodb:")
        and not a.startswith(
            (
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:Get",
                "dynamodb:Batch",
                "dynamodb:Describe",
            )
        )
    }
    assert writes == set()  # the table is only ever read
    assert {r for _, r in granted} <= {
        messages["arn"],
        messages["streamArn"],
        queue.state["arn"],
        domain,
        f"{domain}/*",
        *([k.state["arn"] for k in stack.of_type("aws:kms/key:Key")]),
    }


def test_access_policy_names_only_the_search_lambda_roles(stack):
    policy = json.loads(
        stack.one("aws:opensearch/domainPolicy:DomainPolicy").inputs["accessPolicies"]
    )
    domain_arn = stack.one("aws:opensearch/domain:Domain").state["arn"]
    users = {
        f"{stack.config['realtime-chat:prefix']}-{f.name}"
        for f in chatspec.LAMBDAS
        if f.uses_search
    }
    roles = {
        f.inputs["role"]
        for f in stack.of_type("aws:lambda/function:Function")
        if f.inputs["name"] in users
    }
    ops = stack.outputs["searchOpsRoleArn"]
    principals = {p for s in policy["Statement"] for p in as_list(s["Principal"]["AWS"])}
    assert principals == roles | {ops} and roles
    assert all(s["Resource"] == f"{domain_arn}/*" for s in policy["Statement"])
    assert all(not any(a == "es:*" for a in as_list(s["Action"])) for s in policy["Statement"])


def test_stream_mapping_is_bounded_and_parks_failures(stack):
    streamed = [f for f in chatspec.LAMBDAS if f.stream_source]
    mappings = stack.of_type("aws:lambda/eventSourceMapping:EventSourceMapping")
    assert len(mappings) == len(streamed) >= 1
    tables = {t.inputs["name"]: t for t in stack.of_type("aws:dynamodb/table:Table")}
    queues = {q.state["arn"]: q for q in stack.of_type("aws:sqs/queue:Queue")}
    for spec, mapping in zip(streamed, mappings, strict=True):
        inputs = mapping.inputs
        source = tables[
            f"{stack.config['realtime-chat:prefix']}-{spec.stream_source.replace('_', '-')}"
        ]
        assert inputs["eventSourceArn"] == source.state["streamArn"]
        assert inputs["bisectBatchOnFunctionError"] is True
        # Nothing written before the mapping existed is skipped, and a record is retried
        # for the stream's retention less the redrive window, never forever (-1).
        assert inputs["startingPosition"] == "TRIM_HORIZON"
        assert inputs["maximumRetryAttempts"] == LAMBDA_STREAM_MAX_RETRY_ATTEMPTS.value
        age = inputs["maximumRecordAgeInSeconds"]
        assert age == DYNAMODB_STREAM_RETENTION.value - STREAM_REDRIVE_WINDOW_SECONDS
        assert LAMBDA_STREAM_MIN_RECORD_AGE.value <= age < DYNAMODB_STREAM_RETENTION.value
        assert inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
        queue = queues[inputs["destinationConfig"]["onFailure"]["destinationArn"]]
        assert queue.inputs["messageRetentionSeconds"] == SQS_MAX_MESSAGE_RETENTION.value
        assert queue.inputs.get("kmsMasterKeyId") or queue.inputs.get("sqsManagedSseEnabled")


def test_prod_failure_queue_uses_the_stack_key(prod):
    (queue,) = indexer_queues(prod)
    assert queue.inputs["kmsMasterKeyId"] == prod.one("aws:kms/key:Key").state["arn"]
    assert queue.protect and queue.retain_on_delete


def indexer_queues(stack):
    """The search component's failure queues (the events component has a queue too)."""
    return [
        q
        for q in stack.of_type("aws:sqs/queue:Queue")
        if q.inputs["name"].endswith("-indexer-failures")
    ]
