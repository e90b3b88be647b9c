"""Each resource policy objects to a resource that breaks it and accepts one that does not."""

from __future__ import annotations

import json

import pytest

from policy.chat_policies import POLICIES
from policy.evaluation import evaluate
from tests.policy.resources import DELETE, PROPS, STATEMENT, resource

TABLE = "aws:dynamodb/table:Table"
DOMAIN = "aws:opensearch/domain:Domain"
API = "aws:appsync/graphQLApi:GraphQLApi"
FUNCTION = "aws:lambda/function:Function"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
POOL = "aws:cognito/userPool:UserPool"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
QUEUE = "aws:sqs/queue:Queue"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def _policy_doc(**statement):
    return json.dumps({"Statement": [{**STATEMENT, **statement}]})


# (policy, resource type, changes that break it, production-only rule)
CASES = [
    ("dynamodb-customer-managed-encryption", TABLE, {"serverSideEncryption.enabled": False}, True),
    (
        "dynamodb-customer-managed-encryption",
        TABLE,
        {"serverSideEncryption.kmsKeyArn": DELETE},
        True,
    ),
    ("dynamodb-point-in-time-recovery", TABLE, {"pointInTimeRecovery.enabled": False}, True),
    ("dynamodb-point-in-time-recovery", TABLE, {"pointInTimeRecovery": DELETE}, True),
    ("dynamodb-deletion-protection", TABLE, {"deletionProtectionEnabled": False}, True),
    ("dynamodb-deletion-protection", TABLE, {"@protect": False}, True),
    ("dynamodb-stream-new-image", TABLE, {"streamViewType": "KEYS_ONLY"}, False),
    ("opensearch-in-vpc", DOMAIN, {"vpcOptions": DELETE}, False),
    ("opensearch-in-vpc", DOMAIN, {"vpcOptions.securityGroupIds": []}, False),
    ("opensearch-encryption-at-rest", DOMAIN, {"encryptAtRest.enabled": False}, False),
    ("opensearch-node-to-node-encryption", DOMAIN, {"nodeToNodeEncryption": DELETE}, False),
    ("opensearch-https-tls12", DOMAIN, {"domainEndpointOptions.enforceHttps": False}, False),
    (
        "opensearch-https-tls12",
        DOMAIN,
        {"domainEndpointOptions.tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"},
        False,
    ),
    (
        "opensearch-no-wildcard-principal",
        DOMAIN,
        {"accessPolicies": json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*"}]})},
        False,
    ),
    (
        "opensearch-no-wildcard-principal",
        DOMAIN,
        {"accessPolicies": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}}]}},
        False,
    ),
    ("opensearch-zone-awareness-prod", DOMAIN, {"clusterConfig.zoneAwarenessEnabled": False}, True),
    (
        "opensearch-zone-awareness-prod",
        DOMAIN,
        {"clusterConfig.zoneAwarenessConfig.availabilityZoneCount": 1.0},
        True,
    ),
    (
        "opensearch-dedicated-masters-prod",
        DOMAIN,
        {"clusterConfig.dedicatedMasterEnabled": False},
        True,
    ),
    (
        "opensearch-dedicated-masters-prod",
        DOMAIN,
        {"clusterConfig.dedicatedMasterCount": 2.0},
        True,
    ),
    ("opensearch-logs-enabled", DOMAIN, {"logPublishingOptions": []}, False),
    ("appsync-no-api-key", API, {"authenticationType": "API_KEY"}, False),
    (
        "appsync-no-api-key",
        API,
        {"additionalAuthenticationProviders": [{"authenticationType": "API_KEY"}]},
        False,
    ),
    ("appsync-logging-enabled", API, {"logConfig": DELETE}, False),
    ("appsync-logging-enabled", API, {"logConfig.fieldLogLevel": "NONE"}, False),
    ("appsync-xray-enabled", API, {"xrayEnabled": False}, False),
    ("appsync-query-limits-prod", API, {"queryDepthLimit": DELETE}, True),
    ("appsync-query-limits-prod", API, {"queryDepthLimit": 0.0}, True),
    ("appsync-query-limits-prod", API, {"resolverCountLimit": 20000.0}, True),
    ("appsync-introspection-disabled-prod", API, {"introspectionConfig": "ENABLED"}, True),
    ("appsync-introspection-disabled-prod", API, {"introspectionConfig": DELETE}, True),
    ("cloudwatch-log-group-encrypted-prod", LOG_GROUP, {"kmsKeyId": DELETE}, True),
    ("cognito-usernames-case-insensitive", POOL, {"usernameConfiguration": DELETE}, False),
    (
        "cognito-usernames-case-insensitive",
        POOL,
        {"usernameConfiguration.caseSensitive": True},
        False,
    ),
    ("lambda-tracing-active", FUNCTION, {"tracingConfig.mode": "PassThrough"}, False),
    ("lambda-supported-runtime", FUNCTION, {"runtime": "python3.8"}, False),
    ("stream-mapping-bisect-on-error", MAPPING, {"bisectBatchOnFunctionError": DELETE}, False),
    ("stream-mapping-trim-horizon", MAPPING, {"startingPosition": "LATEST"}, False),
    ("stream-mapping-bounded-retries", MAPPING, {"maximumRetryAttempts": -1.0}, False),
    ("stream-mapping-bounded-retries", MAPPING, {"maximumRetryAttempts": 10001.0}, False),
    ("stream-mapping-bounded-retries", MAPPING, {"maximumRetryAttempts": DELETE}, False),
    ("stream-mapping-bounded-record-age", MAPPING, {"maximumRecordAgeInSeconds": -1.0}, False),
    # Retried until the stream drops it: its pointer would point at nothing.
    ("stream-mapping-bounded-record-age", MAPPING, {"maximumRecordAgeInSeconds": 86400.0}, False),
    ("stream-mapping-bounded-record-age", MAPPING, {"maximumRecordAgeInSeconds": 30.0}, False),
    ("stream-mapping-on-failure-destination", MAPPING, {"destinationConfig": DELETE}, False),
    ("stream-mapping-partial-batch-response", MAPPING, {"functionResponseTypes": []}, False),
    ("iam-no-star-action", ROLE_POLICY, {"policy": _policy_doc(Action="*")}, False),
    ("iam-no-service-wildcard", ROLE_POLICY, {"policy": _policy_doc(Action="dynamodb:*")}, False),
    (
        "iam-no-star-resource-on-data-actions",
        ROLE_POLICY,
        {"policy": _policy_doc(Resource="*")},
        False,
    ),
    ("kms-key-rotation", KEY, {"enableKeyRotation": False}, False),
    ("kms-key-description", KEY, {"description": " "}, False),
    ("cognito-password-strength", POOL, {"passwordPolicy.minimumLength": 6.0}, False),
    ("cognito-password-strength", POOL, {"passwordPolicy.requireNumbers": False}, False),
    ("cognito-password-strength", POOL, {"passwordPolicy.minimumLength": 10.0}, True),
    ("cognito-mfa-prod", POOL, {"mfaConfiguration": "OFF"}, True),
    ("cognito-mfa-prod", POOL, {"softwareTokenMfaConfiguration.enabled": False}, True),
    ("cognito-deletion-protection-prod", POOL, {"deletionProtection": "INACTIVE"}, True),
    ("cognito-public-client-no-secret", CLIENT, {"generateSecret": True}, False),
    ("sqs-encryption", QUEUE, {"sqsManagedSseEnabled": False}, False),
    ("sqs-retention", QUEUE, {"messageRetentionSeconds": 3600.0}, False),
    ("sqs-retention", QUEUE, {"messageRetentionSeconds": DELETE}, False),
    ("cloudwatch-log-retention", LOG_GROUP, {"retentionInDays": DELETE}, False),
    ("required-tags", TABLE, {"tags": {"project": "realtime-chat"}}, False),
    ("required-tags", FUNCTION, {"tags": DELETE}, False),
    ("prod-stateful-protected", DOMAIN, {"@protect": False}, True),
    ("prod-stateful-protected", KEY, {"@protect": False}, True),
]

IDS = [f"{policy}-{i}" for i, (policy, *_rest) in enumerate(CASES)]


def _subject(resource_type, stack, changes):
    changes = dict(changes)
    protect = changes.pop("@protect", True)
    return resource(resource_type, stack, changes, protect=protect)


def _findings(policy_name, subject, stack):
    policies = [p for p in POLICIES if p.name == policy_name]
    assert policies, f"no policy named {policy_name}"
    return evaluate(stack, [subject], policies)


@pytest.mark.parametrize(("policy", "resource_type", "changes", "prod_only"), CASES, ids=IDS)
def test_policy_reports_the_broken_resource(policy, resource_type, changes, prod_only):
    subject = _subject(resource_type, "prod", changes)
    findings = _findings(policy, subject, "prod")
    assert findings, f"{policy} accepted {changes}"
    assert all(f.urn == subject.urn and not f.unknown for f in findings)
    assert all("Remediation: " in f.message for f in findings)


@pytest.mark.parametrize(("policy", "resource_type", "changes", "prod_only"), CASES, ids=IDS)
def test_policy_accepts_the_complying_resource(policy, resource_type, changes, prod_only):
    assert _findings(policy, _subject(resource_type, "prod", {}), "prod") == []
    if prod_only:
        assert _findings(policy, _subject(resource_type, "dev", changes), "dev") == []


def test_every_resource_policy_has_a_case():
    from pulumi_policy import ResourceValidationPolicy

    covered = {policy for policy, *_rest in CASES}
    resource_policies = {p.name for p in POLICIES if isinstance(p, ResourceValidationPolicy)}
    assert resource_policies - covered == set()


def test_complying_resources_pass_the_whole_pack():
    from pulumi_policy import ResourceValidationPolicy

    resource_policies = [p for p in POLICIES if isinstance(p, ResourceValidationPolicy)]
    subjects = [resource(t, "prod", name=f"r{i}") for i, t in enumerate(PROPS)]
    assert evaluate("prod", subjects, resource_policies) == []


def test_queue_mappings_are_not_held_to_stream_rules():
    sqs_mapping = resource(
        MAPPING, "prod", {"startingPosition": DELETE, "destinationConfig": DELETE}
    )
    names = [p for p in POLICIES if p.name.startswith("stream-mapping-")]
    assert evaluate("prod", [sqs_mapping], names) == []


def test_confidential_client_may_have_a_secret():
    client = resource(
        CLIENT, "prod", {"generateSecret": True, "allowedOauthFlows": ["client_credentials"]}
    )
    assert _findings("cognito-public-client-no-secret", client, "prod") == []


def test_prod_stacks_come_from_policy_config():
    staging = resource(TABLE, "staging", {"pointInTimeRecovery.enabled": False})
    policy = [p for p in POLICIES if p.name == "dynamodb-point-in-time-recovery"]
    assert evaluate("staging", [staging], policy) == []
    config = {"dynamodb-point-in-time-recovery": {"prodStacks": ["prod", "staging"]}}
    assert len(evaluate("staging", [staging], policy, config)) == 1


def test_required_tags_come_from_policy_config():
    table = resource(TABLE, "prod")
    policy = [p for p in POLICIES if p.name == "required-tags"]
    config = {"required-tags": {"requiredTags": ["project", "owner"]}}
    [finding] = evaluate("prod", [table], policy, config)
    assert "owner" in finding.message


def test_the_packs_stream_numbers_are_awss():
    from chatspec import aws_limits
    from policy.chat_policies import eventsource

    assert aws_limits.DYNAMODB_STREAM_RETENTION.value == eventsource.STREAM_RETENTION_SECONDS
    assert aws_limits.LAMBDA_STREAM_MAX_RETRY_ATTEMPTS.value == eventsource.MAX_RETRY_ATTEMPTS
    assert aws_limits.LAMBDA_STREAM_MIN_RECORD_AGE.value == eventsource.MIN_RECORD_AGE_SECONDS
