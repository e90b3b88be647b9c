"""Synthetic resources that comply with every policy, and a way to break one property.

Built by hand from pulumi-aws 7.51's camelCase input names, so the policy tests do not
depend on the Pulumi program: each policy test breaks one property of a complying
resource and expects exactly that policy to object.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from artifact.targets import LAMBDA_RUNTIME
from policy.evaluation import Resource

TABLE = "aws:dynamodb/table:Table"
DOMAIN = "aws:opensearch/domain:Domain"
API = "aws:appsync/graphQLApi:GraphQLApi"
FUNCTION = "aws:lambda/function:Function"
PERMISSION = "aws:lambda/permission:Permission"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
NOTIFICATION = "aws:s3/bucketNotification:BucketNotification"
TLS_ONLY = (
    '{"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport", '
    '"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": '
    '["arn:aws:s3:::chat-prod-uploads", "arn:aws:s3:::chat-prod-uploads/*"], '
    '"Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}'
)
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
POOL = "aws:cognito/userPool:UserPool"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
QUEUE = "aws:sqs/queue:Queue"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
PIPE = "aws:pipes/pipe:Pipe"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
PLAN = "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan"

KMS_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1111"
TAGS = {"project": "realtime-chat", "environment": "prod"}
DELETE = object()

STATEMENT = {
    "Effect": "Allow",
    "Action": ["dynamodb:GetItem", "dynamodb:Query"],
    "Resource": ["arn:aws:dynamodb:eu-west-1:123456789012:table/chat-prod-rooms"],
}

PROPS: dict[str, dict[str, Any]] = {
    TABLE: {
        "name": "chat-prod-messages",
        "serverSideEncryption": {"enabled": True, "kmsKeyArn": KMS_ARN},
        "pointInTimeRecovery": {"enabled": True},
        "deletionProtectionEnabled": True,
        "streamEnabled": True,
        "streamViewType": "NEW_AND_OLD_IMAGES",
        "tags": TAGS,
    },
    DOMAIN: {
        "vpcOptions": {"subnetIds": ["subnet-1", "subnet-2"], "securityGroupIds": ["sg-1"]},
        "encryptAtRest": {"enabled": True, "kmsKeyId": KMS_ARN},
        "nodeToNodeEncryption": {"enabled": True},
        "domainEndpointOptions": {
            "enforceHttps": True,
            "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07",
        },
        "accessPolicies": json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": ["arn:aws:iam::123456789012:role/indexer"]},
                        "Action": "es:ESHttpPost",
                        "Resource": "arn:aws:es:eu-west-1:123456789012:domain/chat/*",
                    }
                ]
            }
        ),
        "clusterConfig": {
            "zoneAwarenessEnabled": True,
            "zoneAwarenessConfig": {"availabilityZoneCount": 3.0},
            "dedicatedMasterEnabled": True,
            "dedicatedMasterCount": 3.0,
        },
        "logPublishingOptions": [
            {"logType": "ES_APPLICATION_LOGS", "cloudwatchLogGroupArn": "arn:aws:logs:x"}
        ],
        "tags": TAGS,
    },
    API: {
        "authenticationType": "AMAZON_COGNITO_USER_POOLS",
        "additionalAuthenticationProviders": [{"authenticationType": "AWS_IAM"}],
        "logConfig": {"fieldLogLevel": "ERROR", "cloudwatchLogsRoleArn": "arn:aws:iam::1:role/l"},
        "xrayEnabled": True,
        "queryDepthLimit": 8.0,
        "resolverCountLimit": 500.0,
        "introspectionConfig": "DISABLED",
        "tags": TAGS,
    },
    FUNCTION: {
        "name": "chat-prod-rooms",
        "runtime": LAMBDA_RUNTIME,
        "tracingConfig": {"mode": "Active"},
        "timeout": 10.0,
        "tags": TAGS,
    },
    PUBLIC_ACCESS_BLOCK: {
        "bucket": "chat-prod-uploads",
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    },
    BUCKET_POLICY: {"bucket": "chat-prod-uploads", "policy": TLS_ONLY},
    BUCKET_ENCRYPTION: {
        "bucket": "chat-prod-uploads",
        "rules": [
            {
                "applyServerSideEncryptionByDefault": {
                    "sseAlgorithm": "aws:kms",
                    "kmsMasterKeyId": KMS_ARN,
                },
                "bucketKeyEnabled": True,
            }
        ],
    },
    VERSIONING: {"bucket": "chat-prod-uploads", "versioningConfiguration": {"status": "Enabled"}},
    NOTIFICATION: {
        "bucket": "chat-prod-uploads",
        "lambdaFunctions": [
            {
                "lambdaFunctionArn": "arn:aws:lambda:eu-west-1:1:function:chat-prod-filecheck",
                "events": ["s3:ObjectCreated:*"],
                "filterPrefix": "uploads/",
            }
        ],
    },
    LIFECYCLE: {
        "bucket": "chat-prod-uploads",
        "rules": [
            {
                "id": "abort-incomplete-multipart-uploads",
                "status": "Enabled",
                "filter": {"prefix": ""},
                "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1.0},
            }
        ],
    },
    PERMISSION: {
        "action": "lambda:InvokeFunction",
        "function": "chat-prod-users",
        "principal": "cognito-idp.amazonaws.com",
        "sourceArn": "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc",
    },
    MAPPING: {
        "startingPosition": "TRIM_HORIZON",
        "bisectBatchOnFunctionError": True,
        "maximumRetryAttempts": 10000.0,
        "maximumRecordAgeInSeconds": 64800.0,
        "destinationConfig": {"onFailure": {"destinationArn": "arn:aws:sqs:eu-west-1:1:dlq"}},
        "functionResponseTypes": ["ReportBatchItemFailures"],
        "tags": TAGS,
    },
    ROLE_POLICY: {
        "policy": json.dumps({"Version": "2012-10-17", "Statement": [STATEMENT]}),
    },
    KEY: {
        "description": "realtime-chat prod data",
        "enableKeyRotation": True,
        "tags": TAGS,
    },
    POOL: {
        "passwordPolicy": {
            "minimumLength": 12.0,
            "requireLowercase": True,
            "requireUppercase": True,
            "requireNumbers": True,
        },
        "mfaConfiguration": "ON",
        "softwareTokenMfaConfiguration": {"enabled": True},
        "deletionProtection": "ACTIVE",
        "usernameConfiguration": {"caseSensitive": False},
        "tags": TAGS,
    },
    CLIENT: {
        "generateSecret": False,
        "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
    QUEUE: {
        "sqsManagedSseEnabled": True,
        "messageRetentionSeconds": 1209600.0,
        "tags": TAGS,
    },
    PIPE: {
        "name": "chat-prod-messages-events",
        "source": "arn:aws:dynamodb:eu-west-1:1:table/chat-prod-messages/stream/2026",
        "sourceParameters": {
            "dynamodbStreamParameters": {
                "startingPosition": "LATEST",
                "maximumRetryAttempts": 10.0,
                "maximumRecordAgeInSeconds": 64800.0,
                "onPartialBatchItemFailure": "AUTOMATIC_BISECT",
                "deadLetterConfig": {"arn": "arn:aws:sqs:eu-west-1:1:chat-prod-events-dlq"},
            },
            "filterCriteria": {"filters": [{"pattern": '{"eventName": ["INSERT"]}'}]},
        },
        "target": "arn:aws:events:eu-west-1:1:event-bus/chat-prod-events",
        "tags": TAGS,
    },
    TARGET: {
        "arn": "arn:aws:lambda:eu-west-1:1:function:chat-prod-notifier",
        "retryPolicy": {"maximumRetryAttempts": 8.0, "maximumEventAgeInSeconds": 3600.0},
        "deadLetterConfig": {"arn": "arn:aws:sqs:eu-west-1:1:chat-prod-events-dlq"},
    },
    PLAN: {
        "role": "arn:aws:iam::123456789012:role/chat-prod-malware-protection",
        "protectedResource": {
            "s3Bucket": {"bucketName": "chat-prod-uploads", "objectPrefixes": ["uploads/"]}
        },
        "actions": [{"taggings": [{"status": "ENABLED"}]}],
        "tags": TAGS,
    },
    LOG_GROUP: {
        "name": "/aws/lambda/chat-prod-rooms",
        "retentionInDays": 90.0,
        "kmsKeyId": KMS_ARN,
        "tags": TAGS,
    },
}


def policy_document(**statement: Any) -> str:
    """A recorded IAM policy document (a JSON string): STATEMENT with `statement` changes."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{**STATEMENT, **statement}]})


def urn(stack: str, resource_type: str, name: str) -> str:
    return f"urn:pulumi:{stack}::realtime-chat::{resource_type}::{name}"


def patched(props: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `props` with dotted paths set (or removed with `DELETE`)."""
    result = copy.deepcopy(props)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = result
        for step in parents:
            node = node.setdefault(step, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    return result


def resource(
    resource_type: str,
    stack: str = "prod",
    changes: dict[str, Any] | None = None,
    *,
    name: str = "subject",
    protect: bool = True,
    outputs: dict[str, Any] | None = None,
) -> Resource:
    props = patched(PROPS[resource_type], changes or {})
    if stack != "prod" and isinstance(props.get("tags"), dict):
        props["tags"] = {**props["tags"], "environment": stack}
    return Resource(
        type=resource_type,
        name=name,
        urn=urn(stack, resource_type, name),
        inputs=props,
        outputs=outputs or {},
        protect=protect,
    )


def custom(resource_type: str, props: dict[str, Any], stack: str = "prod", **kw: Any) -> Resource:
    name = kw.pop("name", "subject")
    return Resource(
        type=resource_type,
        name=name,
        urn=urn(stack, resource_type, name),
        inputs=props,
        outputs=kw.pop("outputs", {}),
        protect=kw.pop("protect", True),
    )
