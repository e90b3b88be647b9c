"""The uploads bucket notifies the file check of every object created under `uploads/`.

S3 invokes the Lambda asynchronously with its event (`Records[].s3.bucket.name`,
`.object.key`, `.object.size`); the permission lets only this bucket, in this account,
invoke it (`source_arn` + `source_account`: bucket ARNs carry no account). Thumbnails go
under `thumbnails/`, outside the filter, so the check never notifies itself. The
notification depends on the permission: S3 tests the destination when it is configured.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from chatspec.rules import UPLOAD_KEY_PREFIX
from components.lambda_function import ChatLambda

OBJECT_CREATED = "s3:ObjectCreated:*"


@dataclass
class UploadNotificationsArgs:
    bucket_name: pulumi.Input[str]
    bucket_arn: pulumi.Input[str]
    account_id: pulumi.Input[str]
    check: ChatLambda


class UploadNotifications(pulumi.ComponentResource):
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
        self.register_outputs({})
