"""The running emulator's S3 refuses a presigned POST whose file breaks the policy's
conditions, as S3 does, and stores one that keeps them (boto3 presigns with the emulator's
credentials, as the deployed Lambdas' role would; `requests` posts the form)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ElementTree

import boto3
import pytest
import requests
from botocore.config import Config

from emulator.authentication import EMULATOR_CREDENTIALS

pytestmark = pytest.mark.e2e


def s3(outputs):
    return boto3.client(
        "s3",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id=EMULATOR_CREDENTIALS.access_key,
        aws_secret_access_key=EMULATOR_CREDENTIALS.secret_key,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def test_the_conditions_decide_what_is_stored(outputs):
    client = s3(outputs)
    bucket = f"e2e-{uuid.uuid4().hex[:8]}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": outputs["region"]}
    )
    signed = client.generate_presigned_post(
        bucket,
        "uploads/one",
        Fields={"Content-Type": "application/pdf"},
        Conditions=[{"Content-Type": "application/pdf"}, ["content-length-range", 1, 16]],
        ExpiresIn=60,
    )

    def post(body: bytes, **changes) -> requests.Response:
        fields = {**signed["fields"], **changes}
        return requests.post(signed["url"], data=fields, files={"file": body}, timeout=60)

    too_big = post(b"%PDF-" + b"x" * 20)
    assert too_big.status_code == 400
    assert ElementTree.fromstring(too_big.content).findtext("Code") == "EntityTooLarge"
    mistyped = post(b"%PDF-1.7", **{"Content-Type": "image/png"})
    assert mistyped.status_code == 403
    assert "Policy Condition failed" in ElementTree.fromstring(mistyped.content).findtext("Message")
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    assert post(b"%PDF-1.7").status_code == 204
    assert client.get_object(Bucket=bucket, Key="uploads/one")["Body"].read() == b"%PDF-1.7"
