"""Unclaimed uploads' files go when DynamoDB's TTL removes their records, against moto: the
emulator's TTL sweep deletes the expired record as DynamoDB's TTL process does (its stream
REMOVE carries the TTL service's userIdentity), the stream reaches the unmodified file check
through the mapping's filter (`chatspec.lambdas.TTL_REMOVALS`, applied as Lambda applies
it), and the check deletes that upload's object and thumbnail, never a claimed one's."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

import chatspec
from chatspec.aws_limits import DYNAMODB_TTL_STREAM_IDENTITY
from chatspec.lambdas import FILECHECK, TTL_REMOVALS
from chatspec.rules import UPLOAD_PENDING_SECONDS
from emulator import moto_internals
from emulator.datasources.lambda_function import LambdaContext
from emulator.streams import StreamFeeder, passes
from emulator.tables import create_table
from emulator.ttl import sweep
from functions.common.uploads import Store, file_keys, object_key, thumbnail_key
from functions.filecheck import handler as filecheck
from functions.filecheck.expired import DeleteFailed, delete_unclaimed, unclaimed_upload

REGION = "eu-west-1"
PREFIX = "test"
BUCKET = "test-uploads"
NOW = 1_900_000_000
"""The instant uploads are created at; the TTL sweep is run later (no real clock)."""


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    moto_internals.install()
    with mock_aws():
        client = boto3.client("dynamodb")
        names = {}
        for table in chatspec.TABLES:
            names[table.name] = create_table(client, table, prefix=PREFIX)
            monkeypatch.setenv(table.env_var, names[table.name])
        monkeypatch.setenv("UPLOADS_BUCKET", BUCKET)
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        filecheck._store_named.cache_clear()
        yield World(client, names, s3)
        filecheck._store_named.cache_clear()


class World:
    def __init__(self, dynamodb: Any, names: dict[str, str], s3: Any) -> None:
        self.dynamodb = dynamodb
        self.names = names
        self.s3 = s3
        self.uploads = boto3.resource("dynamodb").Table(names["uploads"])
        streams = boto3.client(
            "dynamodbstreams", config=Config(account_id_endpoint_mode="disabled")
        )
        arn = dynamodb.describe_table(TableName=names["uploads"])["Table"]["LatestStreamArn"]
        self.events: list[dict[str, Any]] = []
        self.feeder = StreamFeeder(
            streams,
            arn,
            self.invoke,
            "filecheck",
            filters=FILECHECK.stream_filters,
            report_failures=False,
        )

    def invoke(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        return filecheck.handler(event, LambdaContext("filecheck"))

    def upload(self, upload_id: str, **changes: Any) -> None:
        record = {
            "uploadId": upload_id,
            "ownerId": "alice",
            "roomId": "room-1",
            "purpose": "MESSAGE_ATTACHMENT",
            "status": "READY",
            "expiresAt": NOW + UPLOAD_PENDING_SECONDS,
            **changes,
        }
        self.uploads.put_item(Item={k: v for k, v in record.items() if v is not None})
        for key in file_keys(upload_id):  # as POSTed, as checked, its thumbnail
            self.s3.put_object(Bucket=BUCKET, Key=key, Body=b"file")

    def deliver(self) -> None:
        while self.feeder.poll_once():
            pass

    def keys(self) -> set[str]:
        listed = self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {o["Key"] for o in listed}


def files(upload_id: str) -> set[str]:
    return set(file_keys(upload_id))


def test_ttl_removes_an_unclaimed_upload_and_the_check_deletes_its_files(world):
    world.upload("unclaimed")
    world.upload("claimed", messageId="m-1", expiresAt=None)
    world.upload("later", expiresAt=NOW + 3 * UPLOAD_PENDING_SECONDS)
    world.deliver()
    assert world.events == [], "writes of the API invoke nothing: the filter lets TTL through"

    deleted = sweep(world.dynamodb, world.names, NOW + 2 * UPLOAD_PENDING_SECONDS)

    assert deleted["uploads"] == 1
    world.deliver()
    [event] = world.events
    [record] = event["Records"]
    assert record["userIdentity"] == DYNAMODB_TTL_STREAM_IDENTITY.value
    assert record["dynamodb"]["OldImage"]["uploadId"] == {"S": "unclaimed"}
    assert world.keys() == files("claimed") | files("later")
    assert world.feeder.filtered_out == 3


def test_a_user_deleting_a_record_is_no_ttl_removal_and_invokes_nothing(world):
    world.upload("gone")
    world.uploads.delete_item(Key={"uploadId": "gone"})
    world.deliver()
    assert world.events == []
    assert world.keys() == files("gone")


def test_the_filter_passes_exactly_ttl_removals():
    removal = {
        "eventName": "REMOVE",
        "userIdentity": dict(DYNAMODB_TTL_STREAM_IDENTITY.value),
        "dynamodb": {"Keys": {"uploadId": {"S": "u"}}},
    }
    assert passes(FILECHECK.stream_filters, removal)
    assert FILECHECK.stream_filters == (TTL_REMOVALS,)
    user_delete = {k: v for k, v in removal.items() if k != "userIdentity"}
    assert not passes(FILECHECK.stream_filters, user_delete)
    assert not passes(FILECHECK.stream_filters, {**removal, "eventName": "MODIFY"})
    other = {**removal, "userIdentity": {"type": "Service", "principalId": "x.amazonaws.com"}}
    assert not passes(FILECHECK.stream_filters, other)


@pytest.mark.parametrize(
    ("old", "identity", "why"),
    [
        ({"uploadId": {"S": "u"}, "expiresAt": {"N": "1"}}, None, "not a removal"),
        ({"uploadId": {"S": "u"}, "messageId": {"S": "m"}}, "ttl", "claimed"),
        ({"uploadId": {"S": "u"}}, "ttl", "no longer expired"),
    ],
)
def test_the_check_itself_keeps_files_that_are_not_unclaimed_ttl_removals(old, identity, why):
    record: dict[str, Any] = {"eventName": "REMOVE", "dynamodb": {"OldImage": old}}
    if identity:
        record["userIdentity"] = dict(DYNAMODB_TTL_STREAM_IDENTITY.value)
    upload_id, reason = unclaimed_upload(record)
    assert upload_id is None and why in str(reason)


class RefusingS3:
    """S3 reporting one key of a DeleteObjects as not deleted (per-key errors)."""

    def __init__(self, refused: str) -> None:
        self.refused = refused
        self.requests: list[dict[str, Any]] = []

    def delete_objects(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        keys = [o["Key"] for o in request["Delete"]["Objects"]]
        return {
            "Errors": [
                {"Key": k, "Code": "AccessDenied", "Message": "no"}
                for k in keys
                if k == self.refused
            ]
        }


def ttl_record(sequence: str, upload_id: str) -> dict[str, Any]:
    return {
        "eventName": "REMOVE",
        "userIdentity": dict(DYNAMODB_TTL_STREAM_IDENTITY.value),
        "dynamodb": {
            "SequenceNumber": sequence,
            "OldImage": {"uploadId": {"S": upload_id}, "expiresAt": {"N": str(NOW)}},
        },
    }


def test_a_key_s3_refuses_fails_only_its_record_and_one_request_serves_the_batch():
    s3 = RefusingS3(thumbnail_key("b"))
    outcome = delete_unclaimed(
        Store(None, BUCKET, s3), [ttl_record("1", "a"), ttl_record("2", "b")]
    )
    [request] = s3.requests
    assert {o["Key"] for o in request["Delete"]["Objects"]} == files("a") | files("b")
    assert outcome.deleted == ["a"]
    assert set(outcome.failures) == {"2"}
    outcome.raise_for("1")
    with pytest.raises(DeleteFailed, match=r"thumbnails/b\.png"):
        outcome.raise_for("2")


def test_the_handler_answers_a_partial_batch_response(world, monkeypatch):
    world.upload("a")
    world.upload("b")
    refusing = RefusingS3(object_key("b"))
    monkeypatch.setattr(filecheck, "store", lambda: Store(world.uploads, BUCKET, refusing))
    answer = filecheck.handler(
        {
            "Records": [
                {**ttl_record("1", "a"), "eventSource": "aws:dynamodb"},
                {**ttl_record("2", "b"), "eventSource": "aws:dynamodb"},
            ]
        },
        LambdaContext("filecheck"),
    )
    assert answer == {"batchItemFailures": [{"itemIdentifier": "2"}]}
