"""Calls the API-coverage tests (`test_api_*.py`) share: named users, results with errors.

`tests.e2e.clients.execute` raises on any GraphQL error; these tests also need the
errors themselves (errorType and message) to check refusals, hence `attempt`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

from gql.transport.exceptions import TransportQueryError

from emulator.demo import DEMO_PASSWORD, create_user, login_name
from tests.e2e.clients import Users, execute

ROOM_FIELDS = "roomId name description type createdBy createdAt memberCount maxMembers"
MEMBER_FIELDS = "roomId userId role joinedAt isMuted isBanned lastReadAt"
MESSAGE_FIELDS = """roomId messageId authorId content type createdAt replyTo clientMessageId
  isEdited editedAt isDeleted deletedAt deletedBy pinned pinnedAt pinnedBy
  reactions { emoji count userIds }"""

CREATE_ROOM = f"""mutation($input: CreateRoomInput!) {{
  createRoom(input: $input) {{ {ROOM_FIELDS} }} }}"""
SEND = f"""mutation($input: SendMessageInput!) {{
  sendMessage(input: $input) {{ {MESSAGE_FIELDS} }} }}"""
ADD_MEMBER = f"""mutation($roomId: ID!, $userId: ID!, $role: MemberRole) {{
  addMember(roomId: $roomId, userId: $userId, role: $role) {{ {MEMBER_FIELDS} }} }}"""


RETRY_ATTEMPTS = 40
RETRY_PAUSE_SECONDS = 0.25


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def ensure_users(users: Users, *names: str) -> None:
    """Users besides the demo ones, created with the admin API once per session."""
    pool = users.outputs["userPoolId"]
    for name in names:
        try:
            users.cognito.admin_get_user(UserPoolId=pool, Username=login_name(name))
        except users.cognito.exceptions.UserNotFoundException:
            create_user(users.cognito, pool, login_name(name), DEMO_PASSWORD, ("User",))


class Api:
    """The API as one signed-in user at a time sees it: `api.as_("bob").call(...)`."""

    def __init__(self, outputs: dict[str, Any], users: Users) -> None:
        self.outputs = outputs
        self.users = users

    def sub(self, name: str) -> str:
        return self.users.sub(name)

    async def call(
        self, user: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The data of a call that must succeed."""
        return await execute(self.outputs, self.users.token(user), query, variables)

    async def attempt(
        self, user: str, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """(data, errors) without raising: for calls that are expected to be refused."""
        try:
            return await self.call(user, query, variables), []
        except TransportQueryError as error:
            return error.data, list(error.errors or [])

    async def call_retrying(
        self, user: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The data of a call that must succeed, sent again while the API answers a Conflict
        that says "retry", as the API asks clients to: a write that raced a concurrent change
        (a file check finishing between the send's read and its write) is refused whole, so
        sending it again is safe. At most RETRY_ATTEMPTS sends, RETRY_PAUSE_SECONDS apart."""
        for _ in range(RETRY_ATTEMPTS - 1):
            data, errors = await self.attempt(user, query, variables)
            if not errors:
                assert data is not None
                return data
            first = errors[0]
            if first.get("errorType") != "Conflict" or not first.get("message", "").endswith(
                "retry"
            ):
                raise AssertionError(f"{query.split('(')[0]} failed: {errors}")
            await asyncio.sleep(RETRY_PAUSE_SECONDS)
        return await self.call(user, query, variables)

    async def refusal(
        self, user: str, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[str, str]:
        """(errorType, message) of a call that must fail."""
        data, errors = await self.attempt(user, query, variables)
        assert errors, f"expected an error, got {data}"
        return errors[0].get("errorType"), errors[0].get("message", "")

    async def create_room(
        self, owner: str, room_type: str = "PRIVATE", members: tuple[str, ...] = (), **extra: Any
    ) -> dict[str, Any]:
        room_input = {
            "name": unique(f"e2e {room_type.lower()}"),
            "type": room_type,
            "memberIds": [self.sub(m) for m in members],
            **extra,
        }
        return (await self.call(owner, CREATE_ROOM, {"input": room_input}))["createRoom"]

    async def send(self, author: str, room_id: str, content: str, **extra: Any) -> dict[str, Any]:
        message_input = {"roomId": room_id, "content": content, **extra}
        return (await self.call(author, SEND, {"input": message_input}))["sendMessage"]


async def drain(stream: AsyncIterator[dict[str, Any]], timeout: float = 30) -> list[dict]:
    """Every event until the server completes the subscription.

    The timeout only keeps a broken emulator from hanging the run; a passing test ends
    when the server sends `complete`.
    """

    async def collect() -> list[dict]:
        return [event async for event in stream]

    return await asyncio.wait_for(collect(), timeout=timeout)
