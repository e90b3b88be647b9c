"""The stack's customer-managed KMS key (prod), or nothing when AWS-owned keys are used (dev)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from stacksettings.view import View

LOGS_KMS_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"

# Services that encrypt this stack's data with the key on behalf of callers in the account.
_VIA_SERVICES = ("dynamodb", "sqs", "sns", "es", "logs")


@dataclass(frozen=True)
class KeySettings(View):
    """The stack settings that shape the stack's KMS key."""

    prefix: str
    tags: dict[str, str]
    customer_managed_key: bool
    kms_key_rotation_days: int
    retain_on_delete: bool


@dataclass
class EncryptionArgs:
    settings: KeySettings
    account_id: pulumi.Input[str]
    region: pulumi.Input[str]


def key_policy(account_id: str, region: str) -> str:
    """Root administers the key; principals of the account use it only through the stack's
    services; CloudWatch alarms of this account may publish to the encrypted alarm topic
    (aws:SourceAccount/aws:SourceArn, against the confused deputy); CloudWatch Logs may
    encrypt this account's log groups, bound by the encryption-context condition that
    LOGS_KMS_DOC prescribes (the logs service principal is regional); EventBridge may use
    it for this account's bus, archive and the rules' encrypted dead-letter queue
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/encryption-bus-cmkey.html)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "UseThroughStackServices",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                        "kms:CreateGrant",
                    ],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {
                            "kms:CallerAccount": account_id,
                            "kms:ViaService": [
                                f"{service}.{region}.amazonaws.com" for service in _VIA_SERVICES
                            ],
                        }
                    },
                },
                {
                    "Sid": "AlarmsPublishToEncryptedTopic",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account_id},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account_id}:alarm:*"
                        },
                    },
                },
                {
                    "Sid": "EventBridgeEncryptsThisAccountsBusArchiveAndDeadLetters",
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account_id},
                        "ArnLike": {"aws:SourceArn": f"arn:aws:events:{region}:{account_id}:*"},
                    },
                },
                {
                    "Sid": "CloudWatchLogsEncryptThisAccountsLogGroups",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                    "Action": [
                        "kms:Encrypt*",
                        "kms:Decrypt*",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:Describe*",
                    ],
                    "Resource": "*",
                    "Condition": {
                        "ArnLike": {
                            "kms:EncryptionContext:aws:logs:arn": (
                                f"arn:aws:logs:{region}:{account_id}:log-group:*"
                            )
                        }
                    },
                },
            ],
        }
    )


class Encryption(pulumi.ComponentResource):
    """`key_arn` is None for AWS-owned keys, so consumers simply omit their KMS argument."""

    key_arn: pulumi.Output[str] | None

    def __init__(
        self, name: str, args: EncryptionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:security:Encryption", name, None, opts)
        settings = args.settings
        self.key_arn = None
        if settings.customer_managed_key:
            protect = pulumi.ResourceOptions(
                parent=self,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            )
            key = aws.kms.Key(
                f"{name}-key",
                description=f"{settings.prefix}: chat data, queues, topics and search",
                enable_key_rotation=True,
                rotation_period_in_days=settings.kms_key_rotation_days,
                deletion_window_in_days=30,
                policy=pulumi.Output.all(args.account_id, args.region).apply(
                    lambda values: key_policy(values[0], values[1])
                ),
                tags=settings.tags,
                opts=protect,
            )
            aws.kms.Alias(
                f"{name}-alias",
                name=f"alias/{settings.prefix}",
                target_key_id=key.key_id,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.key_arn = key.arn
        self.register_outputs({"keyArn": self.key_arn})
