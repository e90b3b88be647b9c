"""Smoke test of a running chat API: the emulator or a deployed stack, unchanged.

    .venv/bin/python scripts/smoke.py --outputs .local/outputs.json
    pulumi stack output --json > outputs.json
    .venv/bin/python scripts/smoke.py --outputs outputs.json --username me@example.com \
        --password '...'

Steps: sign in (Cognito SRP, as the deployed app client allows; pycognito does the SRP
math), create a private room, subscribe to it over the real-time WebSocket, send a
message and receive it, find it with searchMessages (retried: indexing is
asynchronous), drop the connection, change the room meanwhile and reconnect with the
catch-up recipe (`RoomReplica`, README "Reconnecting"), delete the room. Each step is
printed; the exit status is 1 when one fails. With an emulator's outputs (they carry
`awsEndpoint`) the user defaults to the demo user alice. Where the pool requires MFA
(prod), pass the user's current TOTP code with `--mfa-code`; it answers Cognito's
SOFTWARE_TOKEN_MFA challenge.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import SoftwareTokenMFAChallengeException

DEMO_USER = "alice@example.com"
DEMO_PASSWORD = "ChatDemo-2026!"
REQUIRED_OUTPUTS = ("graphqlUrl", "realtimeUrl", "region", "userPoolId", "userPoolClientId")

CREATE_ROOM = gql(
    "mutation($input: CreateRoomInput!) { createRoom(input: $input) { roomId name type } }"
)
SEND_MESSAGE = gql(
    "mutation($input: SendMessageInput!) { sendMessage(input: $input) "
    "{ roomId messageId authorId content createdAt } }"
)
ON_MESSAGE = gql(
    "subscription($roomId: ID!) { onMessageAdded(roomId: $roomId) "
    "{ roomId messageId authorId content createdAt } }"
)
SEARCH = gql(
    "query($query: String!, $roomId: ID) { searchMessages(query: $query, roomId: $roomId) "
    "{ total items { message { messageId content } highlights } } }"
)
DELETE_ROOM = gql("mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { roomId deleted } }")
REPLICA_FIELDS = "roomId messageId content isDeleted pinned version reactions { emoji count }"
CHANGES = gql(
    "query($roomId: ID!, $cursor: String) { messageChanges(roomId: $roomId, cursor: $cursor,"
    f" limit: 100) {{ items {{ {REPLICA_FIELDS} }} cursor hasMore }} }}"
)
ON_ADDED = gql(
    f"subscription($roomId: ID!) {{ onMessageAdded(roomId: $roomId) {{ {REPLICA_FIELDS} }} }}"
)
ON_UPDATED = gql(
    f"subscription($roomId: ID!) {{ onMessageUpdated(roomId: $roomId) {{ {REPLICA_FIELDS} }} }}"
)
EDIT = gql(
    "mutation($roomId: ID!, $messageId: ID!, $content: String!) { editMessage(roomId: $roomId,"
    f" messageId: $messageId, content: $content) {{ {REPLICA_FIELDS} }} }}"
)
SEND_REPLICA = gql(
    f"mutation($input: SendMessageInput!) {{ sendMessage(input: $input) {{ {REPLICA_FIELDS} }} }}"
)


class RoomReplica:
    """A client's copy of one room, kept exact across dropped connections.

    The reconnect recipe (README, "Reconnecting"): (1) subscribe to onMessageAdded and
    onMessageUpdated; (2) catch up with messageChanges from the cursor kept from the last
    catch-up, page by page until hasMore is false, and keep the new cursor; (3) once the
    subscription has delivered its first event (it is listening for sure then; AppSync's
    start_ack says the same), catch up once more. Everything is applied with `apply`: a
    message replaces the copy only with a higher version, so events and catch-up pages
    may overlap and arrive in any order.
    """

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self.messages: dict[str, dict[str, Any]] = {}
        self.cursor: str | None = None

    def apply(self, message: dict[str, Any] | None) -> bool:
        if not message or message.get("roomId") != self.room_id:
            return False
        known = self.messages.get(message["messageId"])
        if known is not None and (known.get("version") or 0) >= (message.get("version") or 0):
            return False
        self.messages[message["messageId"]] = message
        return True

    async def catch_up(self, session: Any) -> int:
        """Every change after the kept cursor, applied; returns how many pages it took."""
        pages = 0
        while True:
            page = (
                await session.execute(
                    CHANGES, variable_values={"roomId": self.room_id, "cursor": self.cursor}
                )
            )["messageChanges"]
            pages += 1
            for message in page["items"]:
                self.apply(message)
            self.cursor = page["cursor"]
            if not page["hasMore"]:
                return pages


class SmokeFailure(Exception):
    """A step did not do what it should; the message says which and why."""


def step(text: str) -> None:
    print(f"- {text}", flush=True)


def load_outputs(path: Path) -> dict[str, Any]:
    try:
        outputs = json.loads(path.read_text())
    except FileNotFoundError:
        raise SmokeFailure(f"outputs file {path} does not exist") from None
    except json.JSONDecodeError as error:
        raise SmokeFailure(f"outputs file {path} is not JSON: {error}") from None
    missing = [key for key in REQUIRED_OUTPUTS if not outputs.get(key)]
    if missing:
        raise SmokeFailure(f"outputs file {path} lacks {missing}")
    return outputs


def cognito_client(outputs: dict[str, Any]) -> Any:
    """Sign-in calls need no AWS credentials; the emulator's endpoint wants any signature."""
    if outputs.get("awsEndpoint"):
        return boto3.client(
            "cognito-idp",
            endpoint_url=outputs["awsEndpoint"],
            region_name=outputs["region"],
            aws_access_key_id="smoke",
            aws_secret_access_key="smoke",
        )
    return boto3.client(
        "cognito-idp", region_name=outputs["region"], config=Config(signature_version=UNSIGNED)
    )


def sign_in(
    outputs: dict[str, Any], username: str, password: str, mfa_code: str | None = None
) -> str:
    client = cognito_client(outputs)
    srp = AWSSRP(
        username=username,
        password=password,
        pool_id=outputs["userPoolId"],
        client_id=outputs["userPoolClientId"],
        client=client,
    )
    try:
        tokens = srp.authenticate_user()
    except SoftwareTokenMFAChallengeException as challenge:
        if not mfa_code:
            raise SmokeFailure(f"{username} must answer TOTP MFA: pass --mfa-code") from None
        tokens = answer_totp_challenge(client, outputs, username, challenge, mfa_code)
    except Exception as error:
        raise SmokeFailure(f"sign-in of {username} failed: {error}") from None
    result = tokens.get("AuthenticationResult")
    if not result:
        raise SmokeFailure(f"sign-in of {username} needs challenge {tokens.get('ChallengeName')}")
    return result["IdToken"]


def answer_totp_challenge(
    client: Any,
    outputs: dict[str, Any],
    username: str,
    challenge: SoftwareTokenMFAChallengeException,
    code: str,
) -> dict[str, Any]:
    pending = challenge.get_tokens()
    try:
        return client.respond_to_auth_challenge(
            ClientId=outputs["userPoolClientId"],
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=pending["Session"],
            ChallengeResponses={
                "USERNAME": pending.get("ChallengeParameters", {}).get("USER_ID_FOR_SRP", username),
                "SOFTWARE_TOKEN_MFA_CODE": code,
            },
        )
    except Exception as error:
        raise SmokeFailure(f"MFA code for {username} was refused: {error}") from None


async def run(
    outputs: dict[str, Any],
    username: str,
    password: str,
    timeout: float,
    mfa_code: str | None = None,
) -> None:
    step(f"signing in as {username} (SRP)")
    token = sign_in(outputs, username, password, mfa_code)
    host = urlsplit(outputs["graphqlUrl"]).netloc
    auth = AppSyncJWTAuthentication(host=host, jwt=token)
    http = Client(transport=AIOHTTPTransport(url=outputs["graphqlUrl"], auth=auth))
    realtime = Client(
        transport=AppSyncWebsocketsTransport(url=outputs["realtimeUrl"], auth=auth),
    )
    marker = f"smoke{uuid.uuid4().hex[:12]}"
    async with http as session:
        step("creating a private room")
        room = (
            await session.execute(
                CREATE_ROOM, variable_values={"input": {"name": marker, "type": "PRIVATE"}}
            )
        )["createRoom"]
        room_id = room["roomId"]
        step(f"room {room_id} created")
        try:
            message = await send_and_receive(session, realtime, room_id, marker, timeout)
            step(f"message {message['messageId']} received over the subscription")
            await find_by_search(session, room_id, marker, timeout)
            await reconnect_after_a_drop(session, realtime, room_id, message, marker, timeout)
        finally:
            step(f"deleting room {room_id}")
            deleted = (await session.execute(DELETE_ROOM, variable_values={"roomId": room_id}))[
                "deleteRoom"
            ]
            if not deleted or not deleted.get("deleted"):
                raise SmokeFailure(f"deleteRoom answered {deleted!r}")


async def send_and_receive(
    session: Any, realtime: Client, room_id: str, marker: str, timeout: float
) -> dict[str, Any]:
    """Subscribe, then send until one of our messages arrives.

    The real-time protocol acknowledges a subscription with `start_ack`, which gql does
    not surface; sending again until delivery is how a client knows it is listening.
    """
    async with realtime as subscriber:
        step("subscribing to onMessageAdded over the real-time WebSocket")
        stream = subscriber.subscribe(ON_MESSAGE, variable_values={"roomId": room_id})
        first = asyncio.ensure_future(stream.__anext__())
        sent: set[str] = set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = await session.execute(
                SEND_MESSAGE,
                variable_values={"input": {"roomId": room_id, "content": f"hello {marker}"}},
            )
            sent.add(reply["sendMessage"]["messageId"])
            step(f"sent message {reply['sendMessage']['messageId']}")
            done, _ = await asyncio.wait({first}, timeout=1.0)
            if done:
                event = first.result()["onMessageAdded"]
                if event["messageId"] not in sent:
                    raise SmokeFailure(f"received a message we did not send: {event}")
                await stream.aclose()
                return event
        first.cancel()
        raise SmokeFailure(f"no message arrived over the subscription within {timeout:.0f}s")


async def reconnect_after_a_drop(
    session: Any,
    realtime: Client,
    room_id: str,
    message: dict[str, Any],
    marker: str,
    timeout: float,
) -> None:
    """Catch up, change the room while not subscribed, then reconnect with the recipe."""
    replica = RoomReplica(room_id)
    await replica.catch_up(session)
    step(f"caught up: {len(replica.messages)} message(s), cursor kept")
    edited = f"edited {marker}"
    await session.execute(
        EDIT,
        variable_values={"roomId": room_id, "messageId": message["messageId"], "content": edited},
    )
    step("edited a message while disconnected")
    async with realtime as subscriber:
        added = subscriber.subscribe(ON_ADDED, variable_values={"roomId": room_id})
        updated = subscriber.subscribe(ON_UPDATED, variable_values={"roomId": room_id})
        await replica.catch_up(session)
        first = asyncio.ensure_future(added.__anext__())
        deadline = time.monotonic() + timeout
        while not first.done():
            if time.monotonic() > deadline:
                first.cancel()
                raise SmokeFailure(f"no event after reconnecting within {timeout:.0f}s")
            reply = await session.execute(
                SEND_REPLICA, variable_values={"input": {"roomId": room_id, "content": marker}}
            )
            replica.apply(reply["sendMessage"])
            await asyncio.wait({first}, timeout=1.0)
        replica.apply(first.result()["onMessageAdded"])
        await replica.catch_up(session)
        await added.aclose()
        await updated.aclose()
    copy = replica.messages.get(message["messageId"]) or {}
    if copy.get("content") != edited or (copy.get("version") or 0) < 2:
        raise SmokeFailure(f"after reconnecting the replica holds {copy}, not the edit")
    step(f"reconnected: the replica holds the edit (version {copy['version']})")


async def find_by_search(session: Any, room_id: str, marker: str, timeout: float) -> None:
    step(f"searching for {marker!r}")
    deadline = time.monotonic() + timeout
    while True:
        result = (
            await session.execute(SEARCH, variable_values={"query": marker, "roomId": room_id})
        )["searchMessages"]
        found = [hit["message"] for hit in result["items"]]
        if found:
            if any(marker not in (message.get("content") or "") for message in found):
                raise SmokeFailure(f"search returned unrelated messages: {result}")
            step(f"search found {len(found)} message(s) of ours, total {result['total']}")
            return
        if time.monotonic() > deadline:
            raise SmokeFailure(f"search did not find {marker!r} within {timeout:.0f}s")
        await asyncio.sleep(0.5)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, required=True, help="stack outputs JSON")
    parser.add_argument("--username", help="defaults to the emulator's demo user alice")
    parser.add_argument("--password", help="defaults to the emulator's demo password")
    parser.add_argument("--mfa-code", help="current TOTP code, for pools that require MFA")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per waiting step")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        outputs = load_outputs(args.outputs)
        local = bool(outputs.get("awsEndpoint"))
        username = args.username or (DEMO_USER if local else None)
        password = args.password or (DEMO_PASSWORD if local else None)
        if not username or not password:
            raise SmokeFailure("a deployed stack needs --username and --password")
        asyncio.run(run(outputs, username, password, args.timeout, args.mfa_code))
    except SmokeFailure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    except Exception as error:
        print(f"FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
