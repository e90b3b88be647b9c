"""The file check as the stack deploys it: the bucket notifies the check Lambda of objects
created under `uploads/` only, a permission lets only that bucket of this account invoke
it, and its role reads and deletes files, writes thumbnails and calls exactly
refreshAttachments (no other API field, no listing)."""

from __future__ import annotations

import json

from chatspec.rules import THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX
from components.naming import function_name


def check_function(stack, prefix: str):
    [function] = [
        f
        for f in stack.of_type("aws:lambda/function:Function")
        if f.inputs["name"] == function_name(prefix, "filecheck")
    ]
    return function


def test_the_bucket_notifies_the_check_of_new_uploads_only(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    function = check_function(stack, prefix)
    bucket = stack.one("aws:s3/bucket:Bucket")
    notification = stack.one("aws:s3/bucketNotification:BucketNotification")
    assert notification.inputs["bucket"] == bucket.state["bucket"]
    [target] = notification.inputs["lambdaFunctions"]
    assert target["lambdaFunctionArn"] == function.state["arn"]
    assert target["events"] == ["s3:ObjectCreated:*"]
    assert target["filterPrefix"] == UPLOAD_KEY_PREFIX
    [permission] = [
        p
        for p in stack.of_type("aws:lambda/permission:Permission")
        if p.inputs["principal"] == "s3.amazonaws.com"
    ]
    assert permission.inputs["sourceArn"] == bucket.state["arn"]
    assert permission.inputs["sourceAccount"]
    assert permission.inputs["function"] == function.state["name"]


def test_the_check_gets_the_api_url_and_the_bucket(stack, settings_of):
    function = check_function(stack, settings_of[stack.stack].prefix)
    variables = function.inputs["environment"]["variables"]
    assert variables["GRAPHQL_URL"].startswith("https://")
    assert variables["UPLOADS_BUCKET"] == f"{settings_of[stack.stack].prefix}-uploads"
    assert function.inputs["memorySize"] >= 1024


def test_the_check_role_touches_only_what_the_check_needs(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    bucket = stack.one("aws:s3/bucket:Bucket")
    policies = [
        json.loads(p.inputs["policy"])
        for p in stack.of_type("aws:iam/rolePolicy:RolePolicy")
        if "filecheck" in p.name
    ]
    [document] = policies
    s3 = {
        statement["Resource"]: sorted(statement["Action"])
        for statement in document["Statement"]
        if any(a.startswith("s3:") for a in statement["Action"])
    }
    arn = bucket.state["arn"]
    assert s3 == {
        f"{arn}/{UPLOAD_KEY_PREFIX}*": ["s3:DeleteObject", "s3:GetObject"],
        f"{arn}/{THUMBNAIL_KEY_PREFIX}*": ["s3:DeleteObject", "s3:PutObject"],
    }
    [appsync] = [s for s in document["Statement"] if s["Action"] == ["appsync:GraphQL"]]
    [field] = appsync["Resource"]
    assert field.endswith("/types/Mutation/fields/refreshAttachments")
    assert prefix
