"""A backend over HTTP with SigV4 (gql's AppSyncIAMAuthentication), as a bot would call.

The emulator accepts one set of backend credentials, an assumed role named
`emulator-backend`, so the backend posts as `iam:emulator-backend`; a member listening on
the real-time WebSocket receives its message.
"""

from __future__ import annotations

import pytest
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncIAMAuthentication
from gql.transport.exceptions import TransportQueryError

from emulator.authentication import BACKEND_ROLE, EMULATOR_CREDENTIALS
from tests.e2e.clients import execute, first_event, host, realtime_client

pytestmark = pytest.mark.e2e

CREATE_ROOM = """mutation($input: CreateRoomInput!) { createRoom(input: $input) { roomId } }"""
POST = gql(
    """mutation($input: SystemMessageInput!) {
      postSystemMessage(input: $input) { roomId messageId content authorId type } }"""
)
READ = gql(
    """query($roomId: ID!) {
      getRoom(roomId: $roomId) { roomId type }
      listMessages(roomId: $roomId) { items { messageId authorId } } }"""
)
SEND = gql(
    """mutation($roomId: ID!) {
      sendMessage(input: {roomId: $roomId, content: "as a user"}) { messageId } }"""
)
ON_MESSAGE = gql(
    """subscription($roomId: ID!) {
      onMessageAdded(roomId: $roomId) { roomId messageId content authorId type } }"""
)


def backend_client(outputs) -> Client:
    auth = AppSyncIAMAuthentication(
        host=host(outputs), region_name=outputs["region"], credentials=EMULATOR_CREDENTIALS
    )
    return Client(transport=AIOHTTPTransport(url=outputs["graphqlUrl"], auth=auth))


async def test_backend_posts_an_ai_response_that_a_member_receives(outputs, users):
    created = await execute(
        outputs,
        users.token("alice"),
        CREATE_ROOM,
        {"input": {"name": "ask the bot", "type": "PRIVATE", "memberIds": [users.sub("bob")]}},
    )
    room_id = created["createRoom"]["roomId"]
    posted: list[dict] = []

    async with backend_client(outputs) as backend:

        async def bot_answers() -> None:
            variables = {"input": {"roomId": room_id, "content": "42", "type": "AI_RESPONSE"}}
            reply = await backend.execute(POST, variable_values=variables)
            posted.append(reply["postSystemMessage"])

        async with realtime_client(outputs, users.token("bob")) as bob:
            stream = bob.subscribe(ON_MESSAGE, variable_values={"roomId": room_id})
            event = (await first_event(stream, bot_answers))["onMessageAdded"]
            await stream.aclose()

        context = await backend.execute(READ, variable_values={"roomId": room_id})
        with pytest.raises(TransportQueryError) as refused:
            await backend.execute(SEND, variable_values={"roomId": room_id})

    assert event in posted
    assert event == {
        "roomId": room_id,
        "messageId": event["messageId"],
        "content": "42",
        "authorId": f"iam:{BACKEND_ROLE}",
        "type": "AI_RESPONSE",
    }
    assert context["getRoom"] == {"roomId": room_id, "type": "PRIVATE"}
    assert {m["messageId"] for m in context["listMessages"]["items"]} == {
        m["messageId"] for m in posted
    }
    assert refused.value.errors[0]["errorType"] == "Unauthorized"
    assert refused.value.errors[0]["path"] == ["sendMessage"]
