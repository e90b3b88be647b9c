"""The file check's world against moto: the uploads table, the bucket, a record and its
POSTed object, and what the check read; shared by the file check's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

import chatspec
from chatspec.malware import SCAN_STATUS_TAG
from emulator import moto_internals
from emulator.tables import create_table
from functions.common.uploads import Store, checked_key, object_key
from functions.filecheck import handler as filecheck
from functions.filecheck.check import check_object

REGION = "eu-west-1"
PREFIX = "test"
BUCKET = "test-uploads"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class World:
    def __init__(self, scanning: bool) -> None:
        dynamodb = boto3.resource("dynamodb")
        self.uploads = dynamodb.Table(chatspec.table("uploads").deployed_name(PREFIX))
        self.s3 = boto3.client("s3")
        self.store = Store(self.uploads, BUCKET, self.s3, malware_scanning=scanning)
        self.refreshed: list[tuple[str, str]] = []
        self.reads: list[str] = []
        self.s3.meta.events.register(
            "before-call.s3.GetObject", lambda **_: self.reads.append("GetObject")
        )

    def refresh(self, room: str, message: str) -> None:
        self.refreshed.append((room, message))

    def upload(self, upload_id: str, body: bytes = PDF, scan: str | None = None, **more: Any):
        self.uploads.put_item(
            Item={
                "uploadId": upload_id,
                "ownerId": "alice",
                "roomId": "room-1",
                "contentType": "application/pdf",
                "size": len(body),
                "status": "PENDING",
                **more,
            }
        )
        self.s3.put_object(Bucket=BUCKET, Key=object_key(upload_id), Body=body)
        if scan:
            self.tag(upload_id, scan)

    def tag(self, upload_id: str, result: str) -> None:
        self.s3.put_object_tagging(
            Bucket=BUCKET,
            Key=object_key(upload_id),
            Tagging={"TagSet": [{"Key": SCAN_STATUS_TAG, "Value": result}]},
        )

    def check(self, upload_id: str):
        return check_object(self.store, object_key(upload_id), self.refresh)

    def record(self, upload_id: str) -> dict[str, Any]:
        return self.uploads.get_item(Key={"uploadId": upload_id}, ConsistentRead=True)["Item"]

    def body(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def served(self, upload_id: str) -> bytes:
        """The bytes a READY upload's URL serves: the check's copy."""
        return self.body(checked_key(upload_id))

    def exists(self, key: str) -> bool:
        return self.s3.list_objects_v2(Bucket=BUCKET, Prefix=key).get("KeyCount", 0) > 0


def aws_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """moto, with the emulator's corrections (S3's CopySourceIfMatch among them), the
    stack's tables and the uploads bucket (a fixture's body)."""
    moto_internals.install()
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("dynamodb")
        for table in chatspec.TABLES:
            monkeypatch.setenv(table.env_var, create_table(client, table, prefix=PREFIX))
        monkeypatch.setenv("UPLOADS_BUCKET", BUCKET)
        boto3.client("s3").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        filecheck._store_named.cache_clear()
        yield monkeypatch
        filecheck._store_named.cache_clear()
