"""The running emulator's uploads bucket answers browsers' CORS preflights as the dev stack's
bucket would, plus the demo page at every name its certificate covers; an origin neither
lists (a dev server on another port) is refused as S3 refuses it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from emulator.s3_cors import REFUSED_MESSAGE

pytestmark = pytest.mark.e2e


def preflight(outputs, origin: str) -> requests.Response:
    return requests.options(
        f"{outputs['awsEndpoint']}/{outputs['uploadsBucketName']}",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        timeout=30,
    )


def test_the_demo_page_at_each_of_its_names_may_upload_and_other_origins_may_not(outputs):
    port = urlsplit(outputs["demoUrl"]).port
    for origin in (outputs["demoUrl"].rstrip("/"), f"https://localhost:{port}"):
        answer = preflight(outputs, origin)
        assert answer.status_code == 200, origin
        assert answer.headers["Access-Control-Allow-Origin"] == origin
    refused = preflight(outputs, "http://localhost:5173")
    assert refused.status_code == 403 and REFUSED_MESSAGE in refused.text
