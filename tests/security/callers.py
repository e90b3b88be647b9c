"""The caller kinds of the matrix: real users of the emulated Cognito, or nobody at all.

Each signed-in kind is its own user, created once per session with the admin API a
deployer would use (boto3 against `awsEndpoint`), so a kind's state in one room never
depends on another kind's. `cognito_admin` / `cognito_moderator` are in the Cognito group
Admin / Moderator and join no room; `banned_cognito_admin` / `banned_cognito_moderator` are
in those groups AND banned from every room of the world but the DIRECT one, which holds
only its two parties (a ban must beat the group);
`muted_moderator` has the room role MODERATOR and is muted; `direct_other` is the other
party of the owner's DIRECT room and belongs to no other room; `signed_out` sends no
credentials.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.exceptions import TransportQueryError, TransportServerError

from emulator.demo import DEMO_PASSWORD, create_user, login_name
from tests.e2e.clients import Users, host
from tests.security.outcomes import DENIED, Outcome, from_errors

SIGNED_OUT = "signed_out"
KINDS: tuple[str, ...] = (
    SIGNED_OUT,
    "non_member",
    "member",
    "muted",
    "banned",
    "moderator",
    "admin",
    "owner",
    "cognito_admin",
    "cognito_moderator",
    "banned_cognito_admin",
    "banned_cognito_moderator",
    "muted_moderator",
    "direct_other",
)
USER_OF_KIND = {kind: f"mx-{kind.replace('_', '-')}" for kind in KINDS if kind != SIGNED_OUT}
IN_FLIGHT = 16
"""Requests the matrix keeps in flight at once: enough to overlap cells, few enough that
no request waits long behind the others however busy the machine is."""
REQUEST_TIMEOUT_SECONDS = 120
"""Every client call's explicit limit; generous, so that a loaded machine is slow, not red."""
AUTHOR = "mx-author"
"""A plain member whose messages the 'another member's message' rows act on."""
GROUPS_OF_KIND = {
    "cognito_admin": ("Admin", "User"),
    "banned_cognito_admin": ("Admin", "User"),
    "cognito_moderator": ("Moderator", "User"),
    "banned_cognito_moderator": ("Moderator", "User"),
}
"""Cognito groups of each kind's user; every other user is in `User` only."""
GROUPS_OF_USER = {USER_OF_KIND[kind]: groups for kind, groups in GROUPS_OF_KIND.items()}


def create_matrix_users(users: Users) -> None:
    """Create the kinds' users (and AUTHOR) unless a previous test did already."""
    pool = users.outputs["userPoolId"]
    for name in [*USER_OF_KIND.values(), AUTHOR]:
        try:
            users.cognito.admin_get_user(UserPoolId=pool, Username=login_name(name))
            continue
        except users.cognito.exceptions.UserNotFoundException:
            pass
        groups = GROUPS_OF_USER.get(name, ("User",))
        create_user(users.cognito, pool, login_name(name), DEMO_PASSWORD, groups)


def _auth(outputs: dict[str, Any], token: str | None) -> AppSyncJWTAuthentication:
    """A signed-out client has no token; the header then carries an empty Authorization."""
    return AppSyncJWTAuthentication(host=host(outputs), jwt=token or "")


class Http:
    """One open gql HTTP session per caller; `call` never raises for GraphQL errors."""

    def __init__(
        self, outputs: dict[str, Any], token: str | None, limit: asyncio.Semaphore
    ) -> None:
        auth = None if token is None else _auth(outputs, token)
        self.client = Client(
            transport=AIOHTTPTransport(
                url=outputs["graphqlUrl"], auth=auth, timeout=REQUEST_TIMEOUT_SECONDS
            ),
            execute_timeout=REQUEST_TIMEOUT_SECONDS,
        )
        self.session: Any = None
        self.limit = limit

    async def call(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        judge: Callable[[dict[str, Any]], Outcome] | None = None,
    ) -> Outcome:
        """`judge` classifies a call that succeeded by what it returned (getUsers answers
        null for a profile the caller may not see, not an error)."""
        try:
            async with self.limit:
                result = await self.session.execute(gql(query), variable_values=variables)
        except TransportQueryError as error:
            return from_errors(error.errors)
        return judge(result) if judge else from_errors(None)

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """For setup: the data of a call that must succeed."""
        try:
            async with self.limit:
                return await self.session.execute(gql(query), variable_values=variables)
        except TransportQueryError as error:
            message = f"setup call failed: {error.errors}\n{query}\n{variables}"
            raise AssertionError(message) from None


@asynccontextmanager
async def http_sessions(
    outputs: dict[str, Any], tokens: dict[str, str | None]
) -> AsyncIterator[dict[str, Http]]:
    limit = asyncio.Semaphore(IN_FLIGHT)
    sessions = {kind: Http(outputs, token, limit) for kind, token in tokens.items()}
    for http in sessions.values():
        http.session = await http.client.connect_async()
    try:
        yield sessions
    finally:
        await asyncio.gather(*(http.client.close_async() for http in sessions.values()))


class AckRecordingTransport(AppSyncWebsocketsTransport):
    """gql's AppSync transport, remembering which subscription ids got `start_ack`.

    gql reads `start_ack` and drops it (it carries no GraphQL result), so a client cannot
    tell an accepted subscription from one still waiting; the matrix needs exactly that
    distinction, hence this one override.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acks: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def _parse_answer(self, answer: str) -> Any:
        parsed = super()._parse_answer(answer)
        if parsed[0] == "start_ack":
            self.acks[str(json.loads(answer).get("id"))].set()
        return parsed


def _connection_refusal(error: Exception) -> Outcome:
    """AppSync answers bad connection credentials with `connection_error`, which gql
    raises as a TransportServerError carrying the payload's repr."""
    text = str(error)
    if "UnauthorizedException" in text:
        return Outcome(DENIED, text)
    return Outcome(type(error).__name__, text)


async def subscription_outcome(
    outputs: dict[str, Any], token: str | None, query: str, variables: dict[str, Any]
) -> Outcome:
    """A on `start_ack`, the error's classification on an `error` for the subscription."""
    transport = AckRecordingTransport(
        url=outputs["realtimeUrl"],
        auth=_auth(outputs, token),
        close_timeout=1,
        connect_timeout=REQUEST_TIMEOUT_SECONDS,
        ack_timeout=REQUEST_TIMEOUT_SECONDS,
    )
    client = Client(transport=transport)
    try:
        session = await client.connect_async()
    except (TransportServerError, TransportQueryError) as error:
        return _connection_refusal(error)
    try:
        query_id = str(transport.next_query_id)
        stream = session.subscribe(gql(query), variable_values=variables)
        first = asyncio.ensure_future(stream.__anext__())
        acked = asyncio.ensure_future(transport.acks[query_id].wait())
        await asyncio.wait(
            {first, acked}, timeout=REQUEST_TIMEOUT_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        if not (first.done() or acked.done()):
            first.cancel()
            acked.cancel()
            return Outcome("Timeout", f"no start_ack nor error in {REQUEST_TIMEOUT_SECONDS} s")
        if first.done():
            acked.cancel()
            try:
                first.result()
            except TransportQueryError as error:
                return from_errors(_subscription_errors(error))
            return from_errors(None)
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await stream.aclose()
        return from_errors(None)
    finally:
        await client.close_async()


def _subscription_errors(error: TransportQueryError) -> list[dict[str, Any]]:
    """AppSync's `error` payload is `{"errors": [...]}`; gql passes it on as one error."""
    errors = error.errors or [{"message": str(error)}]
    first = errors[0]
    if isinstance(first, dict) and "errors" in first and "errorType" not in first:
        return first["errors"]
    return errors
