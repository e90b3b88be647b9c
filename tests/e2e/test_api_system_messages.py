"""A trusted backend (IAM, SigV4-signed as boto3 would) posts into a room over HTTP, and
the room's members see it live; users cannot post as the backend."""

from __future__ import annotations

import pytest
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncIAMAuthentication

from emulator.authentication import BACKEND_ROLE, EMULATOR_CREDENTIALS
from tests.e2e.api_calls import Api, unique
from tests.e2e.clients import first_event, host, realtime_client

pytestmark = pytest.mark.e2e

POST = """mutation($input: SystemMessageInput!) {
  postSystemMessage(input: $input) { roomId messageId authorId content type replyTo } }"""
ON_ADDED = gql("""subscription($roomId: ID!) {
  onMessageAdded(roomId: $roomId) { roomId messageId authorId content type } }""")
LIST_MESSAGES = """query($roomId: ID!) { listMessages(roomId: $roomId) {
  items { messageId authorId type content } } }"""


@pytest.fixture
def api(outputs, users) -> Api:
    return Api(outputs, users)


def backend(outputs) -> Client:
    auth = AppSyncIAMAuthentication(
        host=host(outputs), region_name=outputs["region"], credentials=EMULATOR_CREDENTIALS
    )
    return Client(transport=AIOHTTPTransport(url=outputs["graphqlUrl"], auth=auth))


async def test_a_backend_answers_in_a_room_and_members_see_it_live(api, outputs, users):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    question = await api.send("carol", room_id, "what is the capital of France?")
    posted: list[dict] = []

    async def backend_answers() -> None:
        async with backend(outputs) as session:
            result = await session.execute(
                gql(POST),
                variable_values={
                    "input": {
                        "roomId": room_id,
                        "content": "Paris",
                        "type": "AI_RESPONSE",
                        "replyTo": question["messageId"],
                        "clientMessageId": unique("answer"),
                    }
                },
            )
        posted.append(result["postSystemMessage"])

    async with realtime_client(outputs, users.token("carol")) as carol:
        stream = carol.subscribe(ON_ADDED, variable_values={"roomId": room_id})
        event = (await first_event(stream, backend_answers))["onMessageAdded"]
        await stream.aclose()

    author = f"iam:{BACKEND_ROLE}"
    assert posted[0]["authorId"] == author
    assert posted[0]["replyTo"] == question["messageId"]
    assert (event["authorId"], event["type"], event["content"]) == (author, "AI_RESPONSE", "Paris")
    listed = (await api.call("bob", LIST_MESSAGES, {"roomId": room_id}))["listMessages"]["items"]
    assert event["messageId"] in {m["messageId"] for m in listed}


async def test_a_user_cannot_post_as_the_backend(api):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    error_type, message = await api.refusal(
        "bob", POST, {"input": {"roomId": room_id, "content": "I am a bot", "type": "SYSTEM"}}
    )
    assert (error_type, message) == (
        "Unauthorized",
        "Not Authorized to access postSystemMessage on type Mutation",
    )
