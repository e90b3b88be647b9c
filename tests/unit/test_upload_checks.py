"""The file check as the stack deploys it: the bucket notifies the check Lambda of objects
created under `uploads/` only, a permission lets only that bucket of this account invoke
it, and its role reads and deletes files, writes thumbnails and calls exactly
refreshAttachments (no other API field, no listing); the uploads stream reaches it through
a mapping that lets only DynamoDB's TTL removals through, with its own failure queue and a
role policy that reads that stream only."""

from __future__ import annotations

import json

from chatspec.aws_limits import DYNAMODB_TTL_STREAM_IDENTITY
from chatspec.rules import CHECKED_KEY_PREFIX, THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX
from components.naming import function_name
from tests.unit.helpers import as_list


def check_function(stack, prefix: str):
    [function] = [
        f
        for f in stack.of_type("aws:lambda/function:Function")
        if f.inputs["name"] == function_name(prefix, "filecheck")
    ]
    return function


def role_id_of(stack, function) -> str:
    [role] = [
        r for r in stack.of_type("aws:iam/role:Role") if r.state["arn"] == function.inputs["role"]
    ]
    return role.id


def reads_a_stream(document) -> bool:
    return any("dynamodb:GetRecords" in as_list(s["Action"]) for s in document["Statement"])


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
    function = check_function(stack, prefix)
    policies = [
        json.loads(p.inputs["policy"])
        for p in stack.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == role_id_of(stack, function)
    ]
    statements = [s for d in policies if not reads_a_stream(d) for s in d["Statement"]]
    s3: dict[str, set[str]] = {}
    for statement in statements:
        for action in as_list(statement["Action"]):
            if action.startswith("s3:"):
                for resource in as_list(statement["Resource"]):
                    s3.setdefault(resource, set()).add(action)
    arn = bucket.state["arn"]
    reads = {"s3:DeleteObject", "s3:GetObject"}
    if settings_of[stack.stack].uploads.malware_scanning:
        reads.add("s3:GetObjectTagging")  # the scan's result tag, and only with scanning
    assert s3 == {
        f"{arn}/{UPLOAD_KEY_PREFIX}*": reads,
        f"{arn}/{CHECKED_KEY_PREFIX}*": {"s3:DeleteObject", "s3:PutObject"},  # the copy
        f"{arn}/{THUMBNAIL_KEY_PREFIX}*": {"s3:DeleteObject", "s3:PutObject"},
    }
    [appsync] = [s for s in statements if s["Action"] == ["appsync:GraphQL"]]
    [field] = appsync["Resource"]
    assert field.endswith("/types/Mutation/fields/refreshAttachments")
    assert prefix


def uploads_table(stack, prefix: str):
    [table] = [
        t
        for t in stack.of_type("aws:dynamodb/table:Table")
        if t.inputs["name"] == f"{prefix}-uploads"
    ]
    return table


def test_only_ttl_removals_of_the_uploads_stream_invoke_the_check(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    function = check_function(stack, prefix)
    table = uploads_table(stack, prefix)
    assert table.inputs["streamEnabled"] is True
    assert table.inputs["ttl"]["attributeName"] == "expiresAt"
    [mapping] = [
        m
        for m in stack.of_type("aws:lambda/eventSourceMapping:EventSourceMapping")
        if m.inputs["functionName"] == function.state["arn"]
    ]
    assert mapping.inputs["eventSourceArn"] == table.state["streamArn"]
    [only] = mapping.inputs["filterCriteria"]["filters"]
    assert json.loads(only["pattern"]) == {
        "eventName": ["REMOVE"],
        "userIdentity": {k: [v] for k, v in DYNAMODB_TTL_STREAM_IDENTITY.value.items()},
    }
    assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping.inputs["bisectBatchOnFunctionError"] is True
    queues = {q.state["arn"]: q for q in stack.of_type("aws:sqs/queue:Queue")}
    queue = queues[mapping.inputs["destinationConfig"]["onFailure"]["destinationArn"]]
    assert queue.inputs["name"] == f"{prefix}-filecheck-failures"
    assert stack.outputs["filecheckFailureQueueUrl"] == queue.state["url"]


def test_the_check_reads_the_uploads_stream_only_and_the_mapping_waits_for_it(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    function = check_function(stack, prefix)
    table = uploads_table(stack, prefix)
    [policy] = [
        p
        for p in stack.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == role_id_of(stack, function)
        and reads_a_stream(json.loads(p.inputs["policy"]))
    ]
    granted = {
        (a, r)
        for s in json.loads(policy.inputs["policy"])["Statement"]
        for a in as_list(s["Action"])
        for r in as_list(s["Resource"])
    }
    stream = table.state["streamArn"]
    queue = next(
        q.state["arn"]
        for q in stack.of_type("aws:sqs/queue:Queue")
        if q.inputs["name"] == f"{prefix}-filecheck-failures"
    )
    expected = {
        ("dynamodb:DescribeStream", stream),
        ("dynamodb:GetRecords", stream),
        ("dynamodb:GetShardIterator", stream),
        ("dynamodb:ListStreams", "*"),
        ("sqs:SendMessage", queue),
    }
    if settings_of[stack.stack].customer_managed_key:
        key = stack.one("aws:kms/key:Key").state["arn"]
        expected |= {("kms:Decrypt", key), ("kms:GenerateDataKey", key)}
    assert granted == expected
    [mapping] = [
        m
        for m in stack.of_type("aws:lambda/eventSourceMapping:EventSourceMapping")
        if m.inputs["functionName"] == function.state["arn"]
    ]
    assert policy.urn in mapping.dependencies
