"""What a client developer is handed: HTTPS/WSS with a CA to trust, CORS, the Amplify config.

CORS values are AppSync's (see `emulator/cors.py` for where they come from); the client
configuration is checked by shape here and by the real Amplify JS in `test_amplify_client.py`.
"""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from chatspec.outputs import LOCAL_ONLY, output_names
from emulator.cors import EXPOSE_HEADERS, MAX_AGE_SECONDS

pytestmark = pytest.mark.e2e

LIST_ROOMS = {"query": "{ listPublicRooms(limit: 1) { items { roomId } } }"}
ORIGIN = "https://app.example.com"


def trusting(outputs: dict[str, Any]) -> aiohttp.TCPConnector:
    return aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=outputs["caCertificateFile"]))


def test_outputs_are_the_deployed_stacks_keys_plus_the_local_ones(outputs):
    """Same keys as `pulumi stack output` (chatspec.outputs), so a client reads either file."""
    assert set(outputs) == {*output_names(deployed=False), *LOCAL_ONLY}


def test_outputs_name_the_tls_endpoints_the_ca_and_the_client_config(outputs, emulator):
    assert outputs["graphqlHttpsUrl"].startswith("https://")
    assert outputs["graphqlHttpsUrl"].endswith("/graphql")
    assert outputs["realtimeWssUrl"] == (
        outputs["graphqlHttpsUrl"].replace("https://", "wss://") + "/realtime"
    )
    assert outputs["graphqlUrl"].startswith("http://"), "plain HTTP stays for curl and gql"
    ca = Path(outputs["caCertificateFile"])
    assert ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
    for private in ("ca-key.pem", "server-key.pem"):
        assert (ca.parent / private).stat().st_mode & 0o777 == 0o600, private
    assert Path(outputs["amplifyConfigFile"]).parent == emulator.outputs_file.parent


def test_the_amplify_config_names_pool_client_endpoints_region_and_auth_mode(outputs):
    config = json.loads(Path(outputs["amplifyConfigFile"]).read_text())
    assert config == {
        "Auth": {
            "Cognito": {
                "userPoolId": outputs["userPoolId"],
                "userPoolClientId": outputs["userPoolClientId"],
                "userPoolEndpoint": outputs["awsEndpoint"],
                "loginWith": {"email": True},
            }
        },
        "API": {
            "GraphQL": {
                "endpoint": outputs["graphqlHttpsUrl"],
                "region": outputs["region"],
                "defaultAuthMode": "userPool",
            }
        },
    }


async def test_https_graphql_answers_with_the_ca_trusted(outputs, users):
    async with (
        aiohttp.ClientSession(connector=trusting(outputs)) as session,
        session.post(
            outputs["graphqlHttpsUrl"],
            json=LIST_ROOMS,
            headers={"Authorization": users.token("alice")},
        ) as reply,
    ):
        assert reply.status == 200
        assert "errors" not in await reply.json()


async def test_https_is_refused_without_the_ca(outputs):
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await session.post(outputs["graphqlHttpsUrl"], json=LIST_ROOMS)


@pytest.mark.parametrize("url_key", ["graphqlUrl", "graphqlHttpsUrl"])
async def test_a_preflight_gets_appsyncs_cors_answer(outputs, url_key):
    headers = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-amz-user-agent",
    }
    async with (
        aiohttp.ClientSession(connector=trusting(outputs)) as session,
        session.options(outputs[url_key], headers=headers) as reply,
    ):
        assert reply.status == 200
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        assert reply.headers["Access-Control-Max-Age"] == str(MAX_AGE_SECONDS)
        allowed = {
            h.strip().lower() for h in reply.headers["Access-Control-Allow-Headers"].split(",")
        }
        assert {"authorization", "content-type", "x-amz-user-agent"} <= allowed
        assert "POST" in reply.headers["Access-Control-Allow-Methods"]
        exposed = {h.strip() for h in reply.headers["Access-Control-Expose-Headers"].split(",")}
        assert exposed == set(EXPOSE_HEADERS)
        assert await reply.read() == b""


async def test_responses_carry_the_origin_and_exposed_headers(outputs, users):
    async with (
        aiohttp.ClientSession(connector=trusting(outputs)) as session,
        session.post(
            outputs["graphqlHttpsUrl"],
            json=LIST_ROOMS,
            headers={"Authorization": users.token("alice"), "Origin": ORIGIN},
        ) as reply,
    ):
        assert reply.status == 200
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        exposed = {h.strip() for h in reply.headers["Access-Control-Expose-Headers"].split(",")}
        assert exposed == set(EXPOSE_HEADERS)


async def test_an_unauthorized_response_is_readable_by_a_browser_too(outputs):
    async with (
        aiohttp.ClientSession(connector=trusting(outputs)) as session,
        session.post(
            outputs["graphqlHttpsUrl"], json=LIST_ROOMS, headers={"Origin": ORIGIN}
        ) as reply,
    ):
        assert reply.status == 401
        assert reply.headers["Access-Control-Allow-Origin"] == "*"


async def test_the_demo_page_and_its_config_are_served_over_https(outputs):
    async with aiohttp.ClientSession(connector=trusting(outputs)) as session:
        async with session.get(outputs["demoUrl"]) as page:
            assert page.status == 200
            assert page.headers["Content-Type"].startswith("text/html")
            assert '<script type="module" src="/app.js">' in await page.text()
        async with session.get(outputs["demoUrl"] + "amplify-config.json") as config:
            assert await config.json() == json.loads(Path(outputs["amplifyConfigFile"]).read_text())
