"""What invokes the file check: the uploads bucket's object-created notifications under
`uploads/`, the uploads table's stream, filtered to DynamoDB's TTL removals, and (with
`uploads.malwareScanning`) GuardDuty's scan results.

S3 invokes the Lambda asynchronously with its event (`Records[].s3.bucket.name`,
`.object.key`, `.object.size`); the permission lets only this bucket, in this account,
invoke it (`source_arn` + `source_account`: bucket ARNs carry no account). Thumbnails go
under `thumbnails/`, outside the filter, so the check never notifies itself. The
notification depends on the permission: S3 tests the destination when it is configured.

The stream's event source mapping (`components.stream_source`) carries the spec's filter
(`chatspec.lambdas.TTL_REMOVALS`): Lambda invokes the check for TTL's removals of unclaimed
uploads only, never for the API's own writes, and the check deletes those uploads' files.
The role's stream reads and the failure queue (`<prefix>-filecheck-failures`) are granted
here, by the component that connects the stream, in a policy of their own that the
mapping waits for (Lambda checks the role when the mapping is created).

With malware scanning, a rule on the account's default bus (where GuardDuty publishes
"GuardDuty Malware Protection Object Scan Result", `chatspec.malware.scan_result_pattern`:
this plan's results for this bucket's `uploads/` only) invokes the check again once the scan
has tagged the object; the check may read object tags under `uploads/` (a policy of its own),
the rule's target retries and parks what it cannot deliver in the file check's failure queue
(whose queue policy admits that rule only), and the bucket notification keeps S3's
EventBridge delivery on: GuardDuty turns it on to see new objects, and a notification
configuration without it would turn it off again at the next update.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

import chatspec
from chatspec.malware import SCAN_RESULT_BUS, SCAN_TAG_GRANT, scan_result_pattern
from chatspec.rules import UPLOAD_KEY_PREFIX
from components.events import dlq_policy
from components.lambda_function import ChatLambda
from components.stream_source import failure_queue, stream_mapping, stream_statements
from stacksettings.view import View

OBJECT_CREATED = "s3:ObjectCreated:*"
CHECK = "filecheck"
SCAN_RESULT_RETRIES = 8
SCAN_RESULT_MAX_AGE_SECONDS = 6 * 3600
"""A scan result EventBridge cannot deliver is retried for hours, then parked in the queue."""


@dataclass(frozen=True)
class CheckSettings(View):
    """The stack settings that shape the file check's triggers."""

    prefix: str
    tags: dict[str, str]
    retain_on_delete: bool


@dataclass
class UploadNotificationsArgs:
    bucket_name: pulumi.Input[str]
    bucket_arn: pulumi.Input[str]
    account_id: pulumi.Input[str]
    check: ChatLambda
    settings: CheckSettings
    stream_arns: dict[str, pulumi.Output[str]]
    kms_key_arn: pulumi.Input[str] | None = None
    malware_plan_arn: pulumi.Input[str] | None = None
    """The uploads bucket's Malware Protection plan (None: the stack does not scan)."""


class UploadNotifications(pulumi.ComponentResource):
    failure_queues: dict[str, aws.sqs.Queue]
    """The file check's failure queue, by Lambda name (like `Search.failure_queues`)."""

    def __init__(
        self,
        name: str,
        args: UploadNotificationsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("chat:storage:UploadNotifications", name, None, opts)
        permission = aws.lambda_.Permission(
            f"{name}-invoke",
            action="lambda:InvokeFunction",
            function=args.check.name,
            principal="s3.amazonaws.com",
            source_arn=args.bucket_arn,
            source_account=args.account_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.s3.BucketNotification(
            f"{name}-notification",
            bucket=args.bucket_name,
            lambda_functions=[
                aws.s3.BucketNotificationLambdaFunctionArgs(
                    lambda_function_arn=args.check.arn,
                    events=[OBJECT_CREATED],
                    filter_prefix=UPLOAD_KEY_PREFIX,
                )
            ],
            eventbridge=True if args.malware_plan_arn is not None else None,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
        )
        queue = self._expiry_mapping(name, args)
        self.failure_queues = {CHECK: queue}
        if args.malware_plan_arn is not None:
            self._scan_results(name, args, args.malware_plan_arn, queue)
        self.register_outputs({"failureQueueUrl": queue.url})

    def _expiry_mapping(self, name: str, args: UploadNotificationsArgs) -> aws.sqs.Queue:
        spec = chatspec.lambda_function(CHECK)
        if spec.stream_source is None:
            raise ValueError("the file check reads no stream: chatspec names none")
        settings = args.settings
        stream_arn = args.stream_arns[spec.stream_source]
        queue = failure_queue(
            f"{name}-{CHECK}-failures",
            prefix=settings.prefix,
            function=CHECK,
            kms_key_arn=args.kms_key_arn,
            tags=settings.tags,
            retain_on_delete=settings.retain_on_delete,
            parent=self,
        )
        statements = stream_statements(stream_arn, queue.arn, args.kms_key_arn)
        policy = aws.iam.RolePolicy(
            f"{name}-{CHECK}-stream-policy",
            role=args.check.role.id,
            policy=pulumi.Output.all(*statements).apply(_document),
            opts=pulumi.ResourceOptions(parent=self),
        )
        stream_mapping(
            f"{name}-{CHECK}-stream",
            spec,
            function_arn=args.check.arn,
            stream_arn=stream_arn,
            queue_arn=queue.arn,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        return queue

    def _scan_results(
        self,
        name: str,
        args: UploadNotificationsArgs,
        plan_arn: pulumi.Input[str],
        queue: aws.sqs.Queue,
    ) -> None:
        """GuardDuty's results for `uploads/` invoke the check, which reads the result tag."""
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)
        aws.iam.RolePolicy(
            f"{name}-{CHECK}-scan-policy",
            role=args.check.role.id,
            policy=pulumi.Output.from_input(args.bucket_arn).apply(scan_tag_policy),
            opts=child,
        )
        rule = aws.cloudwatch.EventRule(
            f"{name}-scan-results",
            name=f"{settings.prefix}-upload-scan-results",
            description="GuardDuty Malware Protection results for uploads/ to the file check",
            event_bus_name=SCAN_RESULT_BUS,
            event_pattern=pulumi.Output.all(args.bucket_name, plan_arn).apply(
                lambda v: json.dumps(scan_result_pattern(v[0], v[1]), sort_keys=True)
            ),
            tags=settings.tags,
            opts=child,
        )
        permission = aws.lambda_.Permission(
            f"{name}-scan-results-invoke",
            action="lambda:InvokeFunction",
            function=args.check.name,
            principal="events.amazonaws.com",
            source_arn=rule.arn,
            opts=child,
        )
        aws.sqs.QueuePolicy(
            f"{name}-{CHECK}-failures-policy",
            queue_url=queue.url,
            policy=pulumi.Output.all(queue.arn, rule.arn).apply(lambda v: dlq_policy(v[0], [v[1]])),
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}-scan-results-target",
            rule=rule.name,
            event_bus_name=SCAN_RESULT_BUS,
            arn=args.check.arn,
            retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                maximum_retry_attempts=SCAN_RESULT_RETRIES,
                maximum_event_age_in_seconds=SCAN_RESULT_MAX_AGE_SECONDS,
            ),
            dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=queue.arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
        )


def scan_tag_policy(bucket_arn: str) -> str:
    """The check reads the scan's result tag of uploaded objects, nothing else."""
    return _document(
        [
            {
                "Effect": "Allow",
                "Action": list(SCAN_TAG_GRANT.actions),
                "Resource": f"{bucket_arn}/{SCAN_TAG_GRANT.prefix}*",
            }
        ]
    )


def _document(statements: list[Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
