"""Backend callers with IAM: postSystemMessage and the reads a bot needs for context.

IAM callers are trusted backends (a bot, an AI assistant, a moderation service). They reach
only fields with `@aws_iam`: postSystemMessage (IAM only), getRoom, listMessages and
getMessage (both modes). They skip membership checks and post as `iam:<role name>`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulator.core import IAM
from emulator.identity import iam_identity
from emulator.testing import SCHEMA_PATH, LocalApi
from tests.api.seed import (
    MESSAGE_FIELDS,
    ban,
    create_room,
    data,
    error_message,
    error_type,
    send,
    send_result,
    stored_room,
)

POST = f"""
mutation Post($input: SystemMessageInput!) {{
  postSystemMessage(input: $input) {{ {MESSAGE_FIELDS} }}
}}
"""
ADDED = """
subscription A($r: ID!) { onMessageAdded(roomId: $r) { messageId authorId content type } }
"""
GET_ROOM = "query R($r: ID!) { getRoom(roomId: $r) { roomId name type } }"
LIST = "query L($r: ID!) { listMessages(roomId: $r) { items { messageId content } nextToken } }"
GET = "query G($r: ID!, $m: ID!) { getMessage(roomId: $r, messageId: $m) { messageId content } }"
THREAD = "query T($r: ID!, $m: ID!) { getThread(roomId: $r, messageId: $m) { root { messageId } } }"


def post(api: LocalApi, room: str, content: str, *, role: str = "backend", **input: Any):
    variables = {"input": {"roomId": room, "content": content, "type": "AI_RESPONSE", **input}}
    return api.call_iam(POST, variables, role=role)


def test_an_ai_response_reaches_the_members_subscriptions(api):
    room = create_room(api, members=("bob",))
    question = send(api, room, "what is the capital of France?", user="bob")
    listening = api.subscribe(ADDED, {"r": room}, user="bob")

    answer = data(post(api, room, "Paris", replyTo=question["messageId"]), "postSystemMessage")

    assert listening.error is None
    assert listening.events == [
        {
            "data": {
                "onMessageAdded": {
                    "messageId": answer["messageId"],
                    "authorId": "iam:backend",
                    "content": "Paris",
                    "type": "AI_RESPONSE",
                }
            }
        }
    ]
    assert answer["replyTo"] == question["messageId"]
    assert answer["reactions"] == [] and answer["isDeleted"] is False


def test_system_messages_take_the_next_seq_like_any_message(api):
    room = create_room(api)
    send(api, room, "first")

    message = data(post(api, room, "alice joined", type="SYSTEM"), "postSystemMessage")

    stored = next(m for m in api.scan("messages") if m["messageId"] == message["messageId"])
    assert stored["seq"] == 2
    assert stored["authorId"] == "iam:backend"
    assert stored_room(api, room)["messageCount"] == 2


def test_the_author_is_the_role_whatever_the_session(api):
    room = create_room(api)
    identity = iam_identity("moderation-bot")
    identity["userArn"] = identity["userArn"].replace("/local", "/session-42")

    result = api.engine.execute(
        POST, {"input": {"roomId": room, "content": "x", "type": "SYSTEM"}}, None, identity, IAM
    )

    assert data(result, "postSystemMessage")["authorId"] == "iam:moderation-bot"


def test_an_iam_user_is_named_after_the_user(api):
    room = create_room(api)
    identity = iam_identity()
    identity["userArn"] = "arn:aws:iam::123456789012:user/ops/announcer"

    result = api.engine.execute(
        POST, {"input": {"roomId": room, "content": "x", "type": "SYSTEM"}}, None, identity, IAM
    )

    assert data(result, "postSystemMessage")["authorId"] == "iam:announcer"


def test_identity_pool_credentials_are_app_users_not_backends(api):
    room = create_room(api)
    identity = iam_identity("Cognito_chatAuth_Role")
    identity["cognitoIdentityPoolId"] = "us-east-1:0000-pool"
    identity["cognitoIdentityId"] = "us-east-1:0000-user"

    posted = api.engine.execute(
        POST, {"input": {"roomId": room, "content": "x", "type": "SYSTEM"}}, None, identity, IAM
    )
    read = api.engine.execute(LIST, {"r": room}, None, identity, IAM)

    assert error_type(posted) == "Unauthorized"
    assert error_type(read) == "Unauthorized"
    assert api.scan("messages") == []


def test_a_user_pool_caller_is_refused_by_the_auth_directive(api):
    room = create_room(api)

    result = api.call(
        POST, {"input": {"roomId": room, "content": "I am the AI", "type": "AI_RESPONSE"}}
    )

    assert error_type(result) == "Unauthorized"
    assert error_message(result) == "Not Authorized to access postSystemMessage on type Mutation"
    assert api.scan("messages") == []


def test_the_template_refuses_user_pool_callers_even_without_the_directive():
    """If someone opened postSystemMessage to user pools, users still could not use it."""
    schema = SCHEMA_PATH.read_text(encoding="utf-8").replace(
        "postSystemMessage(input: SystemMessageInput!): Message @aws_iam",
        "postSystemMessage(input: SystemMessageInput!): Message @aws_iam @aws_cognito_user_pools",
    )
    assert schema != SCHEMA_PATH.read_text(encoding="utf-8")
    with LocalApi(schema_sdl=schema) as api:
        room = create_room(api)
        variables = {"input": {"roomId": room, "content": "fake", "type": "SYSTEM"}}

        result = api.call(POST, variables, groups=("Admin",))

        assert error_type(result) == "Unauthorized"
        assert api.scan("messages") == []
        assert data(api.call_iam(POST, variables), "postSystemMessage")["content"] == "fake"


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (
            "mutation S($i: SendMessageInput!) { sendMessage(input: $i) { messageId } }",
            {"i": {"roomId": "ROOM", "content": "hi"}},
            "sendMessage",
        ),
        (
            'mutation E($r: ID!) { editMessage(roomId: $r, messageId: "m", content: "x")'
            " { messageId } }",
            {"r": "ROOM"},
            "editMessage",
        ),
        (
            "query M($r: ID!) { listMembers(roomId: $r) { items { userId } } }",
            {"r": "ROOM"},
            "listMembers",
        ),
        (THREAD, {"r": "ROOM", "m": "m"}, "getThread"),
        ("mutation J($r: ID!) { joinRoom(roomId: $r) { userId } }", {"r": "ROOM"}, "joinRoom"),
    ],
    ids=["sendMessage", "editMessage", "listMembers", "getThread", "joinRoom"],
)
def test_iam_callers_cannot_use_user_pool_fields(api, query, variables, field):
    room = create_room(api)
    send(api, room, "existing")
    before = api.scan("messages")

    result = api.call_iam(query, {k: room if v == "ROOM" else v for k, v in variables.items()})

    assert error_type(result) == "Unauthorized"
    assert error_message(result) == f"Not Authorized to access {field} on type " + (
        "Query" if query.startswith("query") else "Mutation"
    )
    assert api.scan("messages") == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "TEXT"}, "postSystemMessage takes type SYSTEM or AI_RESPONSE, got TEXT"),
        (
            {"content": "   "},
            "content is blank: it holds only whitespace, invisible or control characters",
        ),
        (
            {"content": "x" * 4001},
            "content must be at most 4000 characters after trimming, got 4001",
        ),
        ({"replyTo": ""}, "input.replyTo must be an id of 1 to 128 characters, got 0"),
        (
            {"clientMessageId": "c" * 129},
            "clientMessageId must be 1 to 128 characters without control characters, got 129",
        ),
    ],
    ids=["type", "blank", "too-long", "empty-reply", "long-client-id"],
)
def test_invalid_input_is_refused_and_nothing_is_written(api, change, expected):
    room = create_room(api)

    result = post(api, room, **{"content": "content", **change})

    assert error_type(result) == "ValidationError"
    assert error_message(result) == expected
    assert api.scan("messages") == [] and api.scan("idempotency") == []
    assert stored_room(api, room).get("messageCount", 0) == 0


def test_content_of_4000_characters_is_accepted(api):
    room = create_room(api)

    assert data(post(api, room, "y" * 4000), "postSystemMessage")["content"] == "y" * 4000


def test_the_room_must_exist(api):
    result = post(api, "no-such-room", "hello")

    assert error_type(result) == "NotFound"
    assert error_message(result) == "room no-such-room does not exist"
    assert api.scan("messages") == []


def test_a_reply_must_answer_a_message_of_the_room(api):
    room = create_room(api)

    result = post(api, room, "answer", replyTo="01NOPE")

    assert error_type(result) == "NotFound"
    assert api.scan("messages") == []


def test_a_retry_with_the_same_client_message_id_returns_the_first_message(api):
    room = create_room(api)

    first = data(post(api, room, "once", clientMessageId="job-1"), "postSystemMessage")
    retry = data(post(api, room, "once", clientMessageId="job-1"), "postSystemMessage")
    other_bot = data(
        post(api, room, "once", clientMessageId="job-1", role="other-bot"), "postSystemMessage"
    )

    assert retry == first
    assert other_bot["messageId"] != first["messageId"]
    assert other_bot["authorId"] == "iam:other-bot"
    assert len(api.scan("messages")) == 2
    assert stored_room(api, room)["messageCount"] == 2


def test_users_still_cannot_post_the_backend_types(api):
    room = create_room(api)

    result = send_result(api, room, "I am the AI", type="AI_RESPONSE")

    assert error_type(result) == "ValidationError"
    assert api.scan("messages") == []


def test_a_backend_reads_any_room_without_being_a_member(api):
    room = create_room(api, members=("bob",), type="PRIVATE")
    message = send(api, room, "context", user="bob")

    got_room = api.call_iam(GET_ROOM, {"r": room})
    listed = api.call_iam(LIST, {"r": room})
    got_message = api.call_iam(GET, {"r": room, "m": message["messageId"]})
    missing = api.call_iam(GET, {"r": room, "m": "01NOPE"})

    assert data(got_room, "getRoom") == {"roomId": room, "name": "private room", "type": "PRIVATE"}
    assert data(listed, "listMessages")["items"] == [
        {"messageId": message["messageId"], "content": "context"}
    ]
    assert data(got_message, "getMessage") == {
        "messageId": message["messageId"],
        "content": "context",
    }
    assert error_type(missing) == "NotFound"


def test_the_backend_reads_stay_closed_to_non_member_users(api):
    room = create_room(api, members=("bob",), type="PRIVATE")
    message = send(api, room, "secret", user="bob")
    ban(api, room, "bob")

    for user in ("mallory", "bob"):
        assert error_type(api.call(GET_ROOM, {"r": room}, user=user)) == "Unauthorized"
        assert error_type(api.call(LIST, {"r": room}, user=user)) == "Unauthorized"
        got = api.call(GET, {"r": room, "m": message["messageId"]}, user=user)
        assert error_type(got) == "Unauthorized"


def test_schema_has_the_backend_fields():
    schema = Path(SCHEMA_PATH).read_text(encoding="utf-8")

    assert '@aws_subscribe(mutations: ["sendMessage", "postSystemMessage", "createPoll"])' in schema
