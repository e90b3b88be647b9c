"""What invokes the file check: the uploads bucket's object-created notifications under
`uploads/`, and the uploads table's stream, filtered to DynamoDB's TTL removals.

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
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

import chatspec
from chatspec.rules import UPLOAD_KEY_PREFIX
from components.lambda_function import ChatLambda
from components.stream_source import failure_queue, stream_mapping, stream_statements
from stacksettings.view import View

OBJECT_CREATED = "s3:ObjectCreated:*"
CHECK = "filecheck"


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
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
        )
        self.failure_queues = {CHECK: self._expiry_mapping(name, args)}
        self.register_outputs({"failureQueueUrl": self.failure_queues[CHECK].url})

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


def _document(statements: list[Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
