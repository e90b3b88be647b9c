"""Clients as an app would use them: boto3 for Cognito, gql for HTTP and the WebSocket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import boto3
import jwt
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

from emulator.demo import DEMO_PASSWORD, login_name


def cognito_client(outputs: dict[str, Any]) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="e2e",
        aws_secret_access_key="e2e",
    )


class Users:
    """ID tokens of the demo users, signed in once per session through the emulated Cognito."""

    def __init__(self, outputs: dict[str, Any], cognito: Any) -> None:
        self.outputs = outputs
        self.cognito = cognito
        self._tokens: dict[str, str] = {}

    def token(self, name: str, client_id: str | None = None) -> str:
        key = f"{name}:{client_id or ''}"
        if key not in self._tokens:
            result = self.cognito.initiate_auth(
                ClientId=client_id or self.outputs["userPoolClientId"],
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": login_name(name), "PASSWORD": DEMO_PASSWORD},
            )
            self._tokens[key] = result["AuthenticationResult"]["IdToken"]
        return self._tokens[key]

    def sub(self, name: str) -> str:
        return jwt.decode(self.token(name), options={"verify_signature": False})["sub"]


def host(outputs: dict[str, Any]) -> str:
    return urlsplit(outputs["graphqlUrl"]).netloc


REQUEST_TIMEOUT_SECONDS = 120
"""Explicit and generous (gql's default is 10 s): a loaded machine makes tests slow, not red."""


def http_client(outputs: dict[str, Any], token: str) -> Client:
    auth = AppSyncJWTAuthentication(host=host(outputs), jwt=token)
    return Client(
        transport=AIOHTTPTransport(
            url=outputs["graphqlUrl"], auth=auth, timeout=REQUEST_TIMEOUT_SECONDS
        ),
        execute_timeout=REQUEST_TIMEOUT_SECONDS,
    )


def realtime_client(outputs: dict[str, Any], token: str) -> Client:
    auth = AppSyncJWTAuthentication(host=host(outputs), jwt=token)
    return Client(
        transport=AppSyncWebsocketsTransport(
            url=outputs["realtimeUrl"],
            auth=auth,
            connect_timeout=REQUEST_TIMEOUT_SECONDS,
            ack_timeout=REQUEST_TIMEOUT_SECONDS,
        ),
        execute_timeout=REQUEST_TIMEOUT_SECONDS,
    )


async def execute(
    outputs: dict[str, Any], token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with http_client(outputs, token) as session:
        return await session.execute(gql(query), variable_values=variables)


async def first_event(
    stream: AsyncIterator[dict[str, Any]],
    trigger: Callable[[], Awaitable[Any]],
    attempts: int = 20,
) -> dict[str, Any]:
    """Trigger until the subscription delivers, and return the first event.

    gql does not surface AppSync's `start_ack`, so a client cannot tell when the
    subscription is listening; repeating the triggering mutation until an event
    arrives is how such a client synchronises, and needs no clock.
    """
    pending = asyncio.ensure_future(stream.__anext__())
    for _ in range(attempts):
        await trigger()
        done, _ = await asyncio.wait({pending}, timeout=0.5)
        if done:
            return pending.result()
    pending.cancel()
    raise AssertionError(f"no event after {attempts} triggering mutations")
