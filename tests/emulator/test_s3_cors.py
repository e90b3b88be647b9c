"""The uploads bucket answers browsers as S3 does with the stack's CORS rules, not with moto's
`Access-Control-Allow-Origin: *`: S3's user guide, "How does Amazon S3 evaluate the CORS
configuration on a bucket?" (the first rule whose origin, method and request headers match;
a preflight none matches is 403; origins compared as whole strings, one `*` allowed)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
import requests
from botocore.config import Config

from emulator.authentication import EMULATOR_CREDENTIALS
from emulator.aws_backend import AwsBackend
from emulator.s3_cors import REFUSED_MESSAGE, matching_rule
from stacksettings.settings import load_settings
from tests.emulator.snapshot_backends import fresh_backend

ALLOWED = load_settings("dev").uploads.cors_origins[0]


@pytest.fixture
def backend() -> Iterator[AwsBackend]:
    yield from fresh_backend()


def _preflight(
    backend: AwsBackend, origin: str, headers: str = "content-type"
) -> requests.Response:
    return requests.options(
        f"{backend.endpoint}/{backend.uploads_bucket}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
        timeout=30,
    )


def _post(backend: AwsBackend, origin: str, key: str) -> requests.Response:
    s3 = boto3.client(
        "s3",
        endpoint_url=backend.endpoint,
        region_name=backend.region,
        aws_access_key_id=EMULATOR_CREDENTIALS.access_key,
        aws_secret_access_key=EMULATOR_CREDENTIALS.secret_key,
        config=Config(signature_version="s3v4"),
    )
    form = s3.generate_presigned_post(
        backend.uploads_bucket,
        key,
        Fields={"Content-Type": "text/plain"},
        Conditions=[{"Content-Type": "text/plain"}],
    )
    return requests.post(
        form["url"],
        data=form["fields"],
        files={"file": b"hello"},
        headers={"Origin": origin},
        timeout=30,
    )


def test_a_preflight_from_a_stack_origin_is_answered_with_the_rule(backend):
    answer = _preflight(backend, ALLOWED, "Content-Type, X-Amz-Date")
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert answer.headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert answer.headers["Access-Control-Allow-Headers"] == "Content-Type, X-Amz-Date"
    assert answer.headers["Access-Control-Max-Age"] == "3000"


def test_an_origin_the_stack_does_not_list_is_refused_as_s3_refuses_it(backend):
    answer = _preflight(backend, f"{ALLOWED}:5173")  # another port: another origin
    assert answer.status_code == 403
    assert REFUSED_MESSAGE in answer.text and "<Code>AccessForbidden</Code>" in answer.text
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_a_post_from_an_unlisted_origin_is_stored_but_gets_no_cors_headers(backend):
    refused = _post(backend, "https://elsewhere.example", "uploads/a")
    assert refused.status_code == 204  # S3 does not refuse it; the browser withholds the answer
    assert not [h for h in refused.headers if h.lower().startswith("access-control-")]
    allowed = _post(backend, ALLOWED, "uploads/b")
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in allowed.headers["Vary"]


def test_the_demo_pages_origin_is_added_and_stored_in_the_bucket(backend):
    page = "https://127.0.0.1:49152"
    assert _preflight(backend, page).status_code == 403
    rules = backend.allow_origins((page,))
    assert _preflight(backend, page).status_code == 200
    stored = backend.client("s3").get_bucket_cors(Bucket=backend.uploads_bucket)["CORSRules"]
    assert stored[0]["AllowedOrigins"] == rules[0]["AllowedOrigins"]
    assert page in stored[0]["AllowedOrigins"] and ALLOWED in stored[0]["AllowedOrigins"]


def test_origin_and_header_patterns_follow_s3s_matching():
    rules = [
        {
            "AllowedOrigins": ["https://*.example.com"],
            "AllowedMethods": ["GET"],
            "AllowedHeaders": [],
        },
        {"AllowedOrigins": ["*"], "AllowedMethods": ["POST"], "AllowedHeaders": ["x-amz-*"]},
    ]
    assert matching_rule(rules, "https://app.example.com", "GET") is rules[0]
    assert matching_rule(rules, "https://example.com", "GET") is None
    assert (
        matching_rule(rules, "http://any", "POST", ["X-Amz-Date"]) is rules[1]
    )  # headers: any case
    assert matching_rule(rules, "http://any", "POST", ["content-type"]) is None
    assert matching_rule(rules, "https://app.example.com", "GET", ["x-amz-date"]) is None


def test_the_demo_origins_are_every_name_of_its_certificate_on_its_port():
    import socket

    from emulator.cli import demo_origins

    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        origins = demo_origins("127.0.0.1", bound)
    assert origins[0] == f"https://127.0.0.1:{port}"
    assert set(origins) == {
        f"https://localhost:{port}",
        f"https://127.0.0.1:{port}",
        f"https://[::1]:{port}",
    }
