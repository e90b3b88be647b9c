"""Lambdas' DynamoDB and S3 calls are held to their chatspec grants, as IAM holds a role: the
actions and resources each request needs (transactions item by item, as DynamoDB's guide
"Using IAM policies with DynamoDB transactions" says IAM authorises them), and AWS's refusal.
The e2e suite runs every Lambda through this; a grant removed there fails its tests."""

from __future__ import annotations

import io
import json
from typing import Any

from chatspec.lambdas import FILECHECK, NOTIFIER
from chatspec.rules import CHECKED_KEY_PREFIX, UPLOAD_KEY_PREFIX
from emulator.lambda_grants import LambdaGrants, Need, dynamodb_needs, s3_needs

TABLES = {"p-devices": "devices", "p-presence": "presence", "p-room_members": "room_members"}


def test_transactions_and_batches_need_each_items_action_on_each_table():
    body = {
        "TransactItems": [
            {"Put": {"TableName": "p-devices", "Item": {}}},
            {"Update": {"TableName": "p-devices", "Key": {}}},
            {"ConditionCheck": {"TableName": "p-presence", "Key": {}}},
        ]
    }
    assert dynamodb_needs("TransactWriteItems", body) == [
        Need("dynamodb:PutItem", "p-devices"),
        Need("dynamodb:UpdateItem", "p-devices"),
        Need("dynamodb:ConditionCheckItem", "p-presence"),
    ]
    batch = {"RequestItems": {"p-devices": {"Keys": []}, "p-presence": {"Keys": []}}}
    assert dynamodb_needs("BatchGetItem", batch) == [
        Need("dynamodb:BatchGetItem", "p-devices"),
        Need("dynamodb:BatchGetItem", "p-presence"),
    ]
    query = {"TableName": "p-devices", "IndexName": "byEndpoint"}
    assert dynamodb_needs("Query", query) == [Need("dynamodb:Query", "p-devices", "byEndpoint")]


def test_object_requests_need_the_object_actions_iam_names():
    assert s3_needs("HEAD", "uploads/u", {}, {}, b"") == [Need("s3:GetObject", key="uploads/u")]
    assert s3_needs("GET", "uploads/u", {"tagging": [""]}, {}, b"") == [
        Need("s3:GetObjectTagging", key="uploads/u")
    ]
    copy = s3_needs("PUT", "files/u", {}, {"x-amz-copy-source": "/b/uploads/u"}, b"")
    assert copy == [Need("s3:PutObject", key="files/u"), Need("s3:GetObject", key="uploads/u")]
    delete = (
        b"<Delete><Object><Key>files/a</Key></Object><Object><Key>uploads/a</Key></Object></Delete>"
    )
    assert s3_needs("POST", "", {"delete": [""]}, {}, delete) == [
        Need("s3:DeleteObject", key="files/a"),
        Need("s3:DeleteObject", key="uploads/a"),
    ]


def _call(middleware: LambdaGrants, environ: dict[str, Any]) -> tuple[str, bytes]:
    answered: list[str] = []
    body = b"".join(middleware(environ, lambda status, headers: answered.append(status)))
    return answered[0], body


def _app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    environ["wsgi.input"].read()
    start_response("200 OK", [])
    return [b"served"]


def _dynamodb(function: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    raw = json.dumps(body).encode()
    return {
        "HTTP_USER_AGENT": f"Boto3/1.44.5 md/Botocore#1.44.5 app/{function} cfg/retry-mode#legacy",
        "HTTP_X_AMZ_TARGET": f"DynamoDB_20120810.{operation}",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
        "PATH_INFO": "/",
        "REQUEST_METHOD": "POST",
    }


def test_a_call_the_role_grants_is_served_and_one_it_does_not_is_refused_as_aws_does():
    grants = LambdaGrants(_app, [NOTIFIER, FILECHECK], TABLES, "b", "123456789012", "eu-west-1")
    batch = {"RequestItems": {"p-devices": {"Keys": [{"userId": {"S": "u"}}]}}}
    assert _call(grants, _dynamodb("notifier", "BatchGetItem", batch)) == ("200 OK", b"served")
    status, body = _call(grants, _dynamodb("notifier", "Query", {"TableName": "p-devices"}))
    assert status == "400 Bad Request"
    refusal = json.loads(body)
    assert refusal["__type"].endswith("AccessDeniedException")
    assert refusal["Message"] == (
        "User: arn:aws:sts::123456789012:assumed-role/notifier/notifier is not authorized to "
        "perform: dynamodb:Query on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/"
        "p-devices because no identity-based policy allows the dynamodb:Query action"
    )
    assert grants.refused == [("notifier", Need("dynamodb:Query", "p-devices"))]


def test_object_keys_are_checked_against_the_grants_prefixes():
    grants = LambdaGrants(_app, [FILECHECK], TABLES, "b", "123456789012", "eu-west-1")

    def put(key: str, source: str | None = None) -> str:
        environ = {
            "HTTP_USER_AGENT": "Boto3/1.44.5 app/filecheck",
            "PATH_INFO": f"/b/{key}",
            "REQUEST_METHOD": "PUT",
            "CONTENT_LENGTH": "0",
            "wsgi.input": io.BytesIO(b""),
            **({"HTTP_X_AMZ_COPY_SOURCE": f"/b/{source}"} if source else {}),
        }
        return _call(grants, environ)[0]

    assert put(f"{CHECKED_KEY_PREFIX}u", source=f"{UPLOAD_KEY_PREFIX}u") == "200 OK"
    assert put(f"{UPLOAD_KEY_PREFIX}u") == "403 Forbidden"  # the check never writes uploads/
    assert put(f"{CHECKED_KEY_PREFIX}u", source="elsewhere/u") == "403 Forbidden"


def test_callers_that_are_not_lambdas_pass_unchecked():
    grants = LambdaGrants(_app, [NOTIFIER], TABLES, "b", "123456789012", "eu-west-1")
    environ = _dynamodb("notifier", "Scan", {"TableName": "p-devices"})
    environ["HTTP_USER_AGENT"] = "aws-cli/2.17 Python/3.11"
    assert _call(grants, environ) == ("200 OK", b"served")
