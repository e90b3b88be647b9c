"""Messaging through the running emulator: history, threads, edits, tombstones, reactions,
pins, read state and retried sends."""

from __future__ import annotations

import pytest

from tests.e2e.api_calls import MESSAGE_FIELDS, SEND, Api, unique

pytestmark = pytest.mark.e2e

LIST_MESSAGES = f"""query($roomId: ID!, $limit: Int, $nextToken: String) {{
  listMessages(roomId: $roomId, limit: $limit, nextToken: $nextToken) {{
    items {{ {MESSAGE_FIELDS} }} nextToken }} }}"""
GET_MESSAGE = f"""query($roomId: ID!, $messageId: ID!) {{
  getMessage(roomId: $roomId, messageId: $messageId) {{ {MESSAGE_FIELDS} }} }}"""
GET_THREAD = """query($roomId: ID!, $messageId: ID!, $limit: Int, $nextToken: String) {
  getThread(roomId: $roomId, messageId: $messageId, limit: $limit, nextToken: $nextToken) {
    root { messageId content } replies { messageId content replyTo } nextToken } }"""
EDIT = f"""mutation($roomId: ID!, $messageId: ID!, $content: String!) {{
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) {{
    {MESSAGE_FIELDS} }} }}"""
ON_MESSAGE = """mutation($roomId: ID!, $messageId: ID!) {{
  {field}(roomId: $roomId, messageId: $messageId) {{ {fields} }} }}"""
PINNED = """query($roomId: ID!) { listPinnedMessages(roomId: $roomId) {
  items { messageId pinned pinnedBy } nextToken } }"""
MARK_READ = """mutation($roomId: ID!, $messageId: ID!) {
  markRead(roomId: $roomId, messageId: $messageId) {
    roomId userId lastReadMessageId lastReadAt } }"""
MY_ROOMS = """query($nextToken: String) { myRooms(limit: 100, nextToken: $nextToken) {
  items { unreadCount lastReadAt room { roomId messageCount } } nextToken } }"""


def on_message(field: str) -> str:
    return ON_MESSAGE.format(field=field, fields=MESSAGE_FIELDS)


def react(field: str) -> str:
    return f"""mutation($roomId: ID!, $messageId: ID!, $emoji: String!) {{
      {field}(roomId: $roomId, messageId: $messageId, emoji: $emoji) {{ {MESSAGE_FIELDS} }} }}"""


@pytest.fixture
def api(outputs, users) -> Api:
    return Api(outputs, users)


@pytest.fixture
async def room(api) -> str:
    """A GROUP room owned by bob with carol as MEMBER."""
    return (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]


async def unread(api: Api, user: str, room_id: str) -> int:
    token = None
    while True:
        page = (await api.call(user, MY_ROOMS, {"nextToken": token}))["myRooms"]
        for item in page["items"]:
            if item["room"]["roomId"] == room_id:
                return item["unreadCount"]
        token = page["nextToken"]
        assert token is not None, f"room {room_id} is not in myRooms of {user}"


async def test_history_comes_newest_first_page_by_page(api, room):
    sent = [(await api.send("bob", room, f"message {i}"))["messageId"] for i in range(5)]

    pages, token = [], None
    while True:
        page = (
            await api.call("carol", LIST_MESSAGES, {"roomId": room, "limit": 2, "nextToken": token})
        )["listMessages"]
        pages.append([m["messageId"] for m in page["items"]])
        token = page["nextToken"]
        if token is None:
            break
    assert [len(p) for p in pages][:3] == [2, 2, 1]
    assert [m for p in pages for m in p] == sent[::-1]


async def test_a_sent_message_carries_its_author_and_defaults(api, room):
    message = await api.send("carol", room, "  hello there  ")

    assert message["authorId"] == api.sub("carol")
    assert (message["content"], message["type"], message["roomId"]) == ("hello there", "TEXT", room)
    assert (message["isEdited"], message["isDeleted"], message["pinned"]) == (False, False, False)
    assert message["reactions"] == []
    fetched = await api.call(
        "bob", GET_MESSAGE, {"roomId": room, "messageId": message["messageId"]}
    )
    assert fetched["getMessage"] == message


BLANK = "content is blank: it holds only whitespace, invisible or control characters"


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        ("", BLANK),
        ("   ", BLANK),
        ("\u00a0\u200b\u3000", BLANK),
        ("x" * 4001, "content must be at most 4000 characters after trimming, got 4001"),
    ],
    ids=["empty", "blank", "invisible", "4001"],
)
async def test_content_must_be_1_to_4000_characters(api, room, content, refusal):
    assert await api.refusal("carol", SEND, {"input": {"roomId": room, "content": content}}) == (
        "ValidationError",
        refusal,
    )
    listed = (await api.call("carol", LIST_MESSAGES, {"roomId": room}))["listMessages"]
    assert listed["items"] == []


async def test_content_of_exactly_4000_characters_is_accepted(api, room):
    assert len((await api.send("carol", room, "y" * 4000))["content"]) == 4000


@pytest.mark.parametrize("limit", [0, 101])
async def test_list_messages_refuses_a_limit_out_of_range(api, room, limit):
    assert await api.refusal("carol", LIST_MESSAGES, {"roomId": room, "limit": limit}) == (
        "ValidationError",
        f"limit must be 1 to 100, got {limit}",
    )


async def test_list_messages_refuses_a_malformed_next_token(api, room):
    await api.send("bob", room, "something")
    error_type, message = await api.refusal(
        "carol", LIST_MESSAGES, {"roomId": room, "nextToken": "not-a-token"}
    )
    assert error_type == "ValidationError"
    assert "nextToken" in message


async def test_replies_form_a_thread_oldest_first(api, room):
    root = await api.send("bob", room, "root")
    replies = [
        (await api.send(user, room, f"reply {i}", replyTo=root["messageId"]))["messageId"]
        for i, user in enumerate(["carol", "bob", "carol"])
    ]
    await api.send("bob", room, "not in the thread")

    first = (
        await api.call(
            "carol", GET_THREAD, {"roomId": room, "messageId": root["messageId"], "limit": 2}
        )
    )["getThread"]
    rest = (
        await api.call(
            "carol",
            GET_THREAD,
            {"roomId": room, "messageId": root["messageId"], "nextToken": first["nextToken"]},
        )
    )["getThread"]

    assert first["root"] == {"messageId": root["messageId"], "content": "root"}
    assert [r["messageId"] for r in first["replies"] + rest["replies"]] == replies
    assert {r["replyTo"] for r in first["replies"]} == {root["messageId"]}
    assert rest["nextToken"] is None


async def test_a_reply_to_a_message_not_in_the_room_is_not_found(api, room):
    missing = unique("no-such-message")
    error = await api.refusal(
        "carol", SEND, {"input": {"roomId": room, "content": "re", "replyTo": missing}}
    )
    assert error == ("NotFound", f"replyTo message {missing} does not exist in room {room}")


async def test_the_author_edits_a_message(api, room):
    message = await api.send("carol", room, "first words")
    edited = (
        await api.call(
            "carol", EDIT, {"roomId": room, "messageId": message["messageId"], "content": "better"}
        )
    )["editMessage"]

    assert (edited["content"], edited["isEdited"]) == ("better", True)
    assert edited["editedAt"] is not None
    assert edited["createdAt"] == message["createdAt"]
    assert (
        await api.refusal(
            "carol", EDIT, {"roomId": room, "messageId": message["messageId"], "content": " "}
        )
    )[0] == "ValidationError"
    assert (
        await api.refusal(
            "bob", EDIT, {"roomId": room, "messageId": message["messageId"], "content": "mine"}
        )
    ) == ("Unauthorized", f"only the author edits message {message['messageId']}")


async def test_a_deleted_message_stays_as_a_tombstone(api, room):
    message = await api.send("carol", room, "regrettable")
    await api.call(
        "bob",
        react("addReaction"),
        {"roomId": room, "messageId": message["messageId"], "emoji": "👍"},
    )
    deleted = (
        await api.call(
            "bob", on_message("deleteMessage"), {"roomId": room, "messageId": message["messageId"]}
        )
    )["deleteMessage"]

    assert (deleted["isDeleted"], deleted["content"], deleted["deletedBy"]) == (
        True,
        None,
        api.sub("bob"),
    )
    assert deleted["reactions"] == []
    listed = (await api.call("carol", LIST_MESSAGES, {"roomId": room}))["listMessages"]["items"]
    assert [(m["messageId"], m["isDeleted"], m["content"]) for m in listed] == [
        (message["messageId"], True, None)
    ]
    assert (
        await api.refusal(
            "carol", EDIT, {"roomId": room, "messageId": message["messageId"], "content": "undo"}
        )
    )[0] == "Conflict"


async def test_reactions_are_counted_per_emoji_and_removed_per_user(api, room):
    message_id = (await api.send("bob", room, "react to me"))["messageId"]
    ids = {"roomId": room, "messageId": message_id}
    await api.call("bob", react("addReaction"), {**ids, "emoji": "👍"})
    await api.call("carol", react("addReaction"), {**ids, "emoji": "👍"})
    family = "👨‍👩‍👧"
    after = (await api.call("carol", react("addReaction"), {**ids, "emoji": family}))[
        "addReaction"
    ]["reactions"]

    assert [(r["emoji"], r["count"]) for r in after] == [("👍", 2), (family, 1)]
    assert sorted(after[0]["userIds"]) == sorted([api.sub("bob"), api.sub("carol")])

    removed = (await api.call("carol", react("removeReaction"), {**ids, "emoji": "👍"}))[
        "removeReaction"
    ]["reactions"]
    assert [(r["emoji"], r["count"], r["userIds"]) for r in removed] == [
        ("👍", 1, [api.sub("bob")]),
        (family, 1, [api.sub("carol")]),
    ]


@pytest.mark.parametrize(
    "emoji", ["👍👍", "ab", "", "a" + "\u0301" * 50], ids=["two-emoji", "letters", "empty", "marks"]
)
async def test_a_reaction_must_be_one_emoji(api, room, emoji):
    message_id = (await api.send("bob", room, "react to me"))["messageId"]
    error_type, message = await api.refusal(
        "carol", react("addReaction"), {"roomId": room, "messageId": message_id, "emoji": emoji}
    )
    assert error_type == "ValidationError"
    assert "must be one Unicode emoji" in message


async def test_moderators_pin_and_unpin(api, room):
    first = (await api.send("carol", room, "pin me"))["messageId"]
    second = (await api.send("carol", room, "pin me too"))["messageId"]
    for message_id in (first, second):
        pinned = (
            await api.call(
                "bob", on_message("pinMessage"), {"roomId": room, "messageId": message_id}
            )
        )["pinMessage"]
        assert (pinned["pinned"], pinned["pinnedBy"]) == (True, api.sub("bob"))

    listed = (await api.call("carol", PINNED, {"roomId": room}))["listPinnedMessages"]["items"]
    assert {m["messageId"] for m in listed} == {first, second}

    unpinned = (
        await api.call("bob", on_message("unpinMessage"), {"roomId": room, "messageId": first})
    )["unpinMessage"]
    assert (unpinned["pinned"], unpinned["pinnedAt"]) == (False, None)
    listed = (await api.call("carol", PINNED, {"roomId": room}))["listPinnedMessages"]["items"]
    assert [m["messageId"] for m in listed] == [second]
    assert (
        await api.refusal("carol", on_message("pinMessage"), {"roomId": room, "messageId": first})
    )[0] == "Unauthorized"


async def test_mark_read_moves_the_unread_count_forward_only(api, room):
    sent = [(await api.send("bob", room, f"news {i}"))["messageId"] for i in range(3)]
    assert await unread(api, "carol", room) == 3

    receipt = (await api.call("carol", MARK_READ, {"roomId": room, "messageId": sent[1]}))[
        "markRead"
    ]
    assert (receipt["userId"], receipt["lastReadMessageId"]) == (api.sub("carol"), sent[1])
    assert await unread(api, "carol", room) == 1

    older = (await api.call("carol", MARK_READ, {"roomId": room, "messageId": sent[0]}))["markRead"]
    assert older["lastReadMessageId"] == sent[1]
    assert await unread(api, "carol", room) == 1
    await api.call("carol", MARK_READ, {"roomId": room, "messageId": sent[2]})
    assert await unread(api, "carol", room) == 0


async def test_a_retried_send_with_the_same_client_message_id_creates_one_message(api, room):
    client_id = unique("client")
    first = await api.send("carol", room, "only once", clientMessageId=client_id)
    retry = await api.send("carol", room, "only once (retry)", clientMessageId=client_id)
    other = await api.send("bob", room, "bob's own", clientMessageId=client_id)

    assert retry == first
    assert other["messageId"] != first["messageId"]
    listed = (await api.call("carol", LIST_MESSAGES, {"roomId": room}))["listMessages"]["items"]
    assert [m["content"] for m in listed] == ["bob's own", "only once"]


async def test_announcement_rooms_take_posts_from_moderators_and_up_only(api):
    room_id = (await api.create_room("bob", "ANNOUNCEMENT", ("carol",)))["roomId"]
    assert (await api.send("bob", room_id, "hear ye"))["content"] == "hear ye"
    assert await api.refusal(
        "carol", SEND, {"input": {"roomId": room_id, "content": "me too"}}
    ) == (
        "Unauthorized",
        f"only owners, admins and moderators post in announcement room {room_id}",
    )
