"""The uploads bucket: attachments, room and user avatars (issue 13).

Private in every way S3 offers: all four public-access blocks, bucket-owner-enforced
ownership (no ACLs), a policy that refuses every request not made over TLS, encryption at
rest (the stack's KMS key with a bucket key in prod, S3-managed keys in dev), versioning
and its expiry from `uploads.*`, CORS only for the origins in `uploads.corsOrigins`
(browsers POST the presigned form and GET the presigned URLs; nothing else).

No lifecycle rule expires current objects: a prefix rule cannot tell an object a message
claimed from one nobody did, and expiring all of `uploads/` deleted attachments too. Objects
never claimed go with their upload records instead: DynamoDB's TTL removes the record, and
the file check, fed those removals by the uploads stream (`components/upload_notifications.py`),
deletes the object and its thumbnail. The lifecycle only aborts abandoned multipart uploads
and expires old versions (deleted objects' too, when versioning is on).

With `uploads.malwareScanning`, a GuardDuty Malware Protection plan scans `uploads/` and tags
each object with its result (`components/malware_protection.py`); `malware_plan_arn` names
it for the rule that hands the results to the file check (`upload_notifications.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.malware_protection import MalwareProtectionArgs, malware_protection
from stacksettings.settings import UploadSettings
from stacksettings.view import View


@dataclass(frozen=True)
class BucketSettings(View):
    """The stack settings that shape the uploads bucket."""

    prefix: str
    tags: dict[str, str]
    retain_on_delete: bool
    customer_managed_key: bool
    uploads: UploadSettings


@dataclass
class UploadsArgs:
    settings: BucketSettings
    kms_key_arn: pulumi.Input[str] | None = None
    region: pulumi.Input[str] | None = None
    account_id: pulumi.Input[str] | None = None
    """Region and account, for the malware scan's role (only with `uploads.malwareScanning`)."""


def tls_only_policy(bucket_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket_arn, f"{bucket_arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


class Uploads(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    malware_plan_arn: pulumi.Output[str] | None
    """The Malware Protection plan's ARN, None when the stack does not scan uploads."""

    def __init__(
        self, name: str, args: UploadsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:storage:Uploads", name, None, opts)
        settings, uploads = args.settings, args.settings.uploads
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=f"{settings.prefix}-uploads",
            force_destroy=not settings.retain_on_delete,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            ),
        )
        block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child,
        )
        aws.s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket.id,
            policy=bucket.arn.apply(tls_only_policy),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[block]),
        )
        kms = settings.customer_managed_key and args.kms_key_arn is not None
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="aws:kms" if kms else "AES256",
                        kms_master_key_id=args.kms_key_arn if kms else None,
                    ),
                    bucket_key_enabled=True if kms else None,
                )
            ],
            opts=child,
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
                status="Enabled" if uploads.versioning else "Suspended"
            ),
            opts=child,
        )
        rules = [
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="abort-incomplete-multipart-uploads",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=1
                ),
            ),
        ]
        if uploads.versioning:
            rules.append(
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="expire-noncurrent-versions",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                        noncurrent_days=uploads.noncurrent_version_days
                    ),
                )
            )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=rules,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
        )
        cors_rules = uploads.cors_rules()
        if cors_rules:
            aws.s3.BucketCorsConfiguration(
                f"{name}-cors",
                bucket=bucket.id,
                cors_rules=[
                    aws.s3.BucketCorsConfigurationCorsRuleArgs(
                        allowed_methods=rule["AllowedMethods"],
                        allowed_origins=rule["AllowedOrigins"],
                        allowed_headers=rule["AllowedHeaders"],
                        max_age_seconds=rule["MaxAgeSeconds"],
                    )
                    for rule in cors_rules
                ],
                opts=child,
            )
        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.malware_plan_arn = None
        if uploads.malware_scanning:
            if args.region is None or args.account_id is None:
                raise ValueError("malware scanning needs the stack's region and account id")
            plan = malware_protection(
                f"{name}-malware-protection",
                MalwareProtectionArgs(
                    prefix=settings.prefix,
                    tags=settings.tags,
                    bucket_name=bucket.bucket,
                    bucket_arn=bucket.arn,
                    region=args.region,
                    account_id=args.account_id,
                    kms_key_arn=args.kms_key_arn if kms else None,
                ),
                parent=self,
            )
            self.malware_plan_arn = plan.arn
        self.register_outputs(
            {
                "bucketName": self.bucket_name,
                "bucketArn": self.bucket_arn,
                "malwarePlanArn": self.malware_plan_arn,
            }
        )
