"""Deleting uploads never leaves a file without its record: a key S3 refuses to delete keeps
its upload's record and fails the request, so the same request again finishes the job
(deleteMessage's last step and deleteRoom both repeat safely). Against moto's DynamoDB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

import chatspec
from emulator.tables import create_table
from functions.common.uploads import FilesNotDeleted, Store, checked_key, file_keys
from functions.uploads.delete_files import remove_uploads
from tests.functions.test_filecheck_expired import RefusingS3


@pytest.fixture
def uploads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        dynamodb = boto3.resource("dynamodb", region_name="eu-west-1")
        name = create_table(dynamodb.meta.client, chatspec.table("uploads"), prefix="del")
        table = dynamodb.Table(name)
        for upload_id in ("a", "b"):
            table.put_item(Item={"uploadId": upload_id, "status": "READY"})
        yield table


def _records(table: Any) -> set[str]:
    return {r["uploadId"] for r in table.scan()["Items"]}


def test_a_file_s3_keeps_keeps_its_record_and_fails_the_request(uploads):
    s3 = RefusingS3(checked_key("b"))
    with pytest.raises(FilesNotDeleted, match=r"\['b'\]"):
        remove_uploads(Store(uploads, "bucket", s3), ["a", "b"])
    assert _records(uploads) == {"b"}
    [request] = s3.requests
    assert {o["Key"] for o in request["Delete"]["Objects"]} == {*file_keys("a"), *file_keys("b")}
    remove_uploads(Store(uploads, "bucket", RefusingS3("nothing")), ["b"])  # the retry
    assert _records(uploads) == set()
