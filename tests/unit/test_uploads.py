"""The uploads bucket per stack: private, TLS only, encrypted (the stack's key in prod),
versioning and lifecycle from `uploads.*`, CORS for `uploads.corsOrigins` only."""

from __future__ import annotations

import json


def of(run, token: str):
    return run.one(f"aws:s3/{token}")


def test_the_bucket_blocks_every_kind_of_public_access(stack, settings_of):
    bucket = of(stack, "bucket:Bucket")
    assert bucket.inputs["bucket"] == f"{settings_of[stack.stack].prefix}-uploads"
    block = of(stack, "bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(
        block[k] is True
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    ownership = of(stack, "bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    assert stack.component_of(bucket).type == "chat:storage:Uploads"


def test_only_tls_requests_reach_it(stack):
    bucket = of(stack, "bucket:Bucket")
    policy = json.loads(of(stack, "bucketPolicy:BucketPolicy").inputs["policy"])
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Deny" and statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    arn = bucket.state["arn"]
    assert statement["Resource"] == [arn, f"{arn}/*"]


def test_prod_encrypts_with_the_stack_key_and_dev_with_s3_keys(dev, prod):
    key_arn = prod.one("aws:kms/key:Key").state["arn"]
    [rule] = of(
        prod, "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": key_arn,
    }
    assert rule["bucketKeyEnabled"] is True
    [dev_rule] = of(
        dev, "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs["rules"]
    assert dev_rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


def test_versioning_and_lifecycle_follow_the_settings(stack, settings_of):
    uploads = settings_of[stack.stack].uploads
    status = of(stack, "bucketVersioning:BucketVersioning").inputs["versioningConfiguration"]
    assert status["status"] == ("Enabled" if uploads.versioning else "Suspended")
    rules = {
        r["id"]: r
        for r in of(stack, "bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs[
            "rules"
        ]
    }
    # No rule expires current objects: attached files must outlive any number of days.
    assert not [r for r in rules.values() if r.get("expiration")]
    assert rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"] == {
        "daysAfterInitiation": 1
    }
    assert ("expire-noncurrent-versions" in rules) == uploads.versioning
    if uploads.versioning:
        assert rules["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {
            "noncurrentDays": uploads.noncurrent_version_days
        }


def test_cors_allows_the_configured_origins_to_post_and_get(stack, settings_of):
    [rule] = of(stack, "bucketCorsConfiguration:BucketCorsConfiguration").inputs["corsRules"]
    assert rule["allowedOrigins"] == list(settings_of[stack.stack].uploads.cors_origins)
    assert sorted(rule["allowedMethods"]) == ["GET", "POST"]


def test_prod_keeps_the_bucket_on_destroy(prod, dev):
    assert of(prod, "bucket:Bucket").protect and of(prod, "bucket:Bucket").retain_on_delete
    assert of(dev, "bucket:Bucket").inputs["forceDestroy"] is True
