"""Presigned POST uploads against moto behind `emulator.s3_post_policy`: what S3 accepts is
stored, what S3 refuses (size, type, key, expiry, signature, extra fields) is refused with
S3's error code, and nothing is stored. Driven by boto3's `generate_presigned_post` and a
real HTTP client (`requests`) over a loopback moto server, as a browser form would post."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

import boto3
import pytest
import requests
from botocore.config import Config
from moto.server import ThreadedMotoServer

from emulator.s3_post_policy import PresignedPostChecks

ACCESS_KEY, SECRET = "AKIAPOSTTEST00000000", "post-test-secret"
BUCKET = "uploads"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    server._server.app = PresignedPostChecks(server._server.app, {ACCESS_KEY: SECRET})
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    s3(url).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    yield url
    server.stop()


def s3(url: str, secret: str = SECRET):
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="eu-west-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=secret,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def presign(url: str, key: str, *, max_size: int = 1000, expires: int = 300, secret=SECRET):
    return s3(url, secret).generate_presigned_post(
        BUCKET,
        key,
        Fields={"Content-Type": "image/png"},
        Conditions=[{"Content-Type": "image/png"}, ["content-length-range", 1, max_size]],
        ExpiresIn=expires,
    )


def post(post: dict, body: bytes, **changes) -> requests.Response:
    fields = {**post["fields"], **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    return requests.post(post["url"], data=fields, files={"file": ("a.png", body)}, timeout=30)


def error_of(response: requests.Response) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(response.content)}


def stored(url: str, key: str) -> bool:
    listed = s3(url).list_objects_v2(Bucket=BUCKET, Prefix=key)
    return any(o["Key"] == key for o in listed.get("Contents", []))


def test_an_upload_within_the_policy_is_stored(endpoint):
    response = post(presign(endpoint, "ok/1"), PNG)
    assert response.status_code == 204, response.text
    body = s3(endpoint).get_object(Bucket=BUCKET, Key="ok/1")
    assert body["Body"].read() == PNG and body["ContentType"] == "image/png"


def test_an_oversized_upload_is_entity_too_large(endpoint):
    response = post(presign(endpoint, "big/1", max_size=50), PNG)
    assert response.status_code == 400
    error = error_of(response)
    assert error["Code"] == "EntityTooLarge"
    assert (error["ProposedSize"], error["MaxSizeAllowed"]) == (str(len(PNG)), "50")
    assert not stored(endpoint, "big/1")


def test_an_empty_file_is_entity_too_small(endpoint):
    response = post(presign(endpoint, "small/1"), b"")
    assert (response.status_code, error_of(response)["Code"]) == (400, "EntityTooSmall")
    assert error_of(response)["MinSizeAllowed"] == "1"


def test_another_content_type_fails_its_condition(endpoint):
    response = post(presign(endpoint, "type/1"), PNG, **{"Content-Type": "text/html"})
    assert response.status_code == 403
    error = error_of(response)
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/png"]'
    )
    assert not stored(endpoint, "type/1")


def test_a_client_chosen_key_fails_the_key_condition(endpoint):
    response = post(presign(endpoint, "server/chosen"), PNG, key="../elsewhere")
    assert (response.status_code, error_of(response)["Code"]) == (403, "AccessDenied")
    assert "$key" in error_of(response)["Message"]
    assert not stored(endpoint, "../elsewhere")


def test_an_extra_field_is_refused(endpoint):
    response = post(presign(endpoint, "extra/1"), PNG, acl="public-read")
    assert response.status_code == 403
    assert error_of(response)["Message"] == "Invalid according to Policy: Extra input fields: acl"


def test_an_expired_policy_is_refused(endpoint):
    response = post(presign(endpoint, "late/1", expires=-1), PNG)
    assert response.status_code == 403
    assert error_of(response)["Message"] == "Invalid according to Policy: Policy expired."


def test_a_policy_signed_with_another_secret_does_not_match(endpoint):
    response = post(presign(endpoint, "forged/1", secret="not-the-secret"), PNG)
    assert (response.status_code, error_of(response)["Code"]) == (403, "SignatureDoesNotMatch")
    assert not stored(endpoint, "forged/1")


def test_a_widened_policy_breaks_the_signature(endpoint):
    import base64
    import json

    signed = presign(endpoint, "widened/1", max_size=50)
    policy = json.loads(base64.b64decode(signed["fields"]["policy"]))
    policy["conditions"] = [
        ["content-length-range", 1, 10**9]
        if isinstance(c, list) and c[0] == "content-length-range"
        else c
        for c in policy["conditions"]
    ]
    widened = base64.b64encode(json.dumps(policy).encode()).decode()
    response = post(signed, PNG, policy=widened)
    assert (response.status_code, error_of(response)["Code"]) == (403, "SignatureDoesNotMatch")


def test_other_requests_pass_through(endpoint):
    s3(endpoint).put_object(Bucket=BUCKET, Key="plain/1", Body=b"x")
    assert stored(endpoint, "plain/1")
