"""Search through the running emulator: the stream feeder indexes messages asynchronously,
so each check polls with a bounded number of attempts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.e2e.api_calls import Api, ensure_users, unique

pytestmark = pytest.mark.e2e

SEARCH = """query($query: String!, $roomId: ID, $limit: Int, $nextToken: String) {
  searchMessages(query: $query, roomId: $roomId, limit: $limit, nextToken: $nextToken) {
    total nextToken items { score highlights message { messageId roomId content } } } }"""
EDIT = """mutation($roomId: ID!, $messageId: ID!, $content: String!) {
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) { content } }"""
DELETE = """mutation($roomId: ID!, $messageId: ID!) {
  deleteMessage(roomId: $roomId, messageId: $messageId) { isDeleted } }"""
POLL_ATTEMPTS = 100
POLL_PAUSE_SECONDS = 0.1


@pytest.fixture
def api(outputs, users) -> Api:
    return Api(outputs, users)


def word() -> str:
    return unique("zebra").replace("-", "")


async def search(api: Api, user: str, text: str, **extra) -> dict:
    return (await api.call(user, SEARCH, {"query": text, **extra}))["searchMessages"]


async def until(api: Api, user: str, text: str, holds: Callable[[dict], bool]) -> dict:
    """The first search result for which `holds` is true, within POLL_ATTEMPTS tries."""
    result: dict = {}
    for _ in range(POLL_ATTEMPTS):
        result = await search(api, user, text)
        if holds(result):
            return result
        await asyncio.sleep(POLL_PAUSE_SECONDS)
    raise AssertionError(f"search for {text!r} never satisfied the check; last: {result}")


def ids(result: dict) -> list[str]:
    return [hit["message"]["messageId"] for hit in result["items"]]


async def test_a_sent_message_is_found_by_members_only(api):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    term = word()
    message = await api.send("bob", room_id, f"the {term} crossed the road")

    found = await until(api, "carol", term, lambda r: message["messageId"] in ids(r))
    hit = found["items"][0]
    assert hit["message"] == {
        "messageId": message["messageId"],
        "roomId": room_id,
        "content": f"the {term} crossed the road",
    }
    assert any(f"<em>{term}</em>" in fragment for fragment in hit["highlights"])
    assert (await search(api, "carol", term, roomId=room_id))["total"] == 1

    assert ids(await search(api, "bob", term)) == [message["messageId"]]
    ensure_users(api.users, "dave")
    assert (await search(api, "dave", term))["items"] == []
    assert (await api.refusal("dave", SEARCH, {"query": term, "roomId": room_id}))[
        0
    ] == "Unauthorized"


async def test_an_edited_message_is_found_by_its_new_content_only(api):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    old, new = word(), word()
    message_id = (await api.send("bob", room_id, f"spelled {old}"))["messageId"]
    await until(api, "bob", old, lambda r: message_id in ids(r))

    await api.call("bob", EDIT, {"roomId": room_id, "messageId": message_id, "content": new})

    await until(api, "bob", new, lambda r: message_id in ids(r))
    assert (await search(api, "bob", old))["items"] == []


async def test_a_deleted_message_is_no_longer_found(api):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    term = word()
    message_id = (await api.send("bob", room_id, f"oops {term}"))["messageId"]
    await until(api, "bob", term, lambda r: message_id in ids(r))

    await api.call("bob", DELETE, {"roomId": room_id, "messageId": message_id})

    await until(api, "bob", term, lambda r: r["items"] == [])


async def test_search_pages_through_hits(api):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    term = word()
    sent = {(await api.send("bob", room_id, f"{term} number {i}"))["messageId"] for i in range(3)}
    await until(api, "bob", term, lambda r: r["total"] == 3)

    first = await search(api, "bob", term, limit=2)
    rest = await search(api, "bob", term, limit=2, nextToken=first["nextToken"])
    assert len(first["items"]) == 2
    assert set(ids(first)) | set(ids(rest)) == sent
    assert rest["nextToken"] is None


@pytest.mark.parametrize("limit", [0, 101])
async def test_search_refuses_a_limit_out_of_range(api, limit):
    error_type, _ = await api.refusal("bob", SEARCH, {"query": "anything", "limit": limit})
    assert error_type == "ValidationError"


async def test_search_refuses_a_malformed_next_token(api):
    error_type, message = await api.refusal(
        "bob", SEARCH, {"query": "anything", "nextToken": "garbage"}
    )
    assert error_type == "ValidationError"
    assert "nextToken" in message
