"""listMessages, getMessage and getThread through the emulator: members only, paginated."""

from __future__ import annotations

import pytest

from tests.api.seed import MESSAGE_FIELDS, ban, create_room, data, error_type, send

LIST = """
query List($roomId: ID!, $limit: Int, $nextToken: String) {
  listMessages(roomId: $roomId, limit: $limit, nextToken: $nextToken) {
    items { messageId content } nextToken
  }
}
"""

GET = f"""
query Get($roomId: ID!, $messageId: ID!) {{
  getMessage(roomId: $roomId, messageId: $messageId) {{ {MESSAGE_FIELDS} }}
}}
"""

THREAD = """
query Thread($roomId: ID!, $messageId: ID!, $limit: Int, $nextToken: String) {
  getThread(roomId: $roomId, messageId: $messageId, limit: $limit, nextToken: $nextToken) {
    root { messageId content } replies { messageId content replyTo } nextToken
  }
}
"""


def _pages(api, query, field, variables, user="alice"):
    pages, token = [], None
    while True:
        page = data(api.call(query, {**variables, "nextToken": token}, user=user), field)
        pages.append(page)
        token = page["nextToken"]
        if token is None:
            return pages


def test_history_is_newest_first_and_pages_cover_every_message(api):
    room = create_room(api, members=("bob",))
    sent = [send(api, room, f"m{i}", user="bob")["messageId"] for i in range(5)]

    pages = _pages(api, LIST, "listMessages", {"roomId": room, "limit": 2}, user="bob")

    listed = [item["messageId"] for page in pages for item in page["items"]]
    assert listed == list(reversed(sent))
    assert [len(page["items"]) for page in pages[:3]] == [2, 2, 1]


def test_default_page_is_20_messages(api):
    room = create_room(api)
    for i in range(21):
        send(api, room, f"m{i}")

    page = data(api.call(LIST, {"roomId": room}), "listMessages")

    assert len(page["items"]) == 20
    assert page["nextToken"] is not None


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_limit_outside_1_to_100_is_refused(api, limit):
    room = create_room(api)

    result = api.call(LIST, {"roomId": room, "limit": limit})

    assert error_type(result) == "ValidationError"
    assert f"got {limit}" in result["errors"][0]["message"]


def test_limit_of_100_is_accepted(api):
    room = create_room(api)
    send(api, room, "only")

    assert len(data(api.call(LIST, {"roomId": room, "limit": 100}), "listMessages")["items"]) == 1


def test_malformed_next_token_is_a_validation_error(api):
    room = create_room(api)
    send(api, room, "one")

    result = api.call(LIST, {"roomId": room, "nextToken": "not-a-token"})

    assert error_type(result) == "ValidationError"
    assert "nextToken" in result["errors"][0]["message"]


def test_non_members_and_banned_members_cannot_read_history(api):
    room = create_room(api, members=("bob",))
    send(api, room, "secret")
    ban(api, room, "bob")

    assert error_type(api.call(LIST, {"roomId": room}, user="mallory")) == "Unauthorized"
    assert error_type(api.call(LIST, {"roomId": room}, user="bob")) == "Unauthorized"


def test_cognito_moderators_read_any_room(api):
    room = create_room(api)
    send(api, room, "visible to staff")

    result = api.call(LIST, {"roomId": room}, user="mod", groups=("Moderator",))

    assert [m["content"] for m in data(result, "listMessages")["items"]] == ["visible to staff"]


def test_get_message_returns_it_to_members_only(api):
    room = create_room(api, members=("bob",))
    sent = send(api, room, "hello")
    variables = {"roomId": room, "messageId": sent["messageId"]}

    assert data(api.call(GET, variables, user="bob"), "getMessage") == sent
    assert error_type(api.call(GET, variables, user="mallory")) == "Unauthorized"


def test_get_message_of_an_unknown_id_is_not_found(api):
    room = create_room(api)

    result = api.call(GET, {"roomId": room, "messageId": "01NOPE"})

    assert error_type(result) == "NotFound"


def test_thread_has_the_root_and_its_replies_oldest_first(api):
    room = create_room(api, members=("bob",))
    root = send(api, room, "question")
    send(api, room, "unrelated")
    replies = [
        send(api, room, f"answer {i}", user="bob", replyTo=root["messageId"])["messageId"]
        for i in range(3)
    ]

    pages = _pages(
        api, THREAD, "getThread", {"roomId": room, "messageId": root["messageId"], "limit": 2}
    )

    assert pages[0]["root"] == {"messageId": root["messageId"], "content": "question"}
    assert [r["messageId"] for page in pages for r in page["replies"]] == replies


def test_thread_is_members_only_and_its_root_must_exist(api):
    room = create_room(api)
    root = send(api, room, "question")

    denied = api.call(THREAD, {"roomId": room, "messageId": root["messageId"]}, user="mallory")
    missing = api.call(THREAD, {"roomId": room, "messageId": "01NOPE"})

    assert error_type(denied) == "Unauthorized"
    assert error_type(missing) == "NotFound"
