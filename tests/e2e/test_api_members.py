"""Membership management through the running emulator: invitations, roles, bans, mutes."""

from __future__ import annotations

import pytest

from tests.e2e.api_calls import ADD_MEMBER, MEMBER_FIELDS, Api, ensure_users

pytestmark = pytest.mark.e2e

LIST_MEMBERS = f"""query($roomId: ID!, $limit: Int, $nextToken: String) {{
  listMembers(roomId: $roomId, limit: $limit, nextToken: $nextToken) {{
    items {{ {MEMBER_FIELDS} }} nextToken }} }}"""
ON_TARGET = """mutation($roomId: ID!, $userId: ID!) {{
  {field}(roomId: $roomId, userId: $userId) {{ {fields} }} }}"""
SET_ROLE = f"""mutation($roomId: ID!, $userId: ID!, $role: MemberRole!) {{
  setMemberRole(roomId: $roomId, userId: $userId, role: $role) {{ {MEMBER_FIELDS} }} }}"""
JOIN = f"mutation($roomId: ID!) {{ joinRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"
GET_COUNT = "query($roomId: ID!) { getRoom(roomId: $roomId) { memberCount } }"
LIST_MESSAGES = """query($roomId: ID!) { listMessages(roomId: $roomId) {
  items { content } } }"""
SEND_HI = """mutation($roomId: ID!) {
  sendMessage(input: {roomId: $roomId, content: "hi"}) { content } }"""


def on_target(field: str) -> str:
    return ON_TARGET.format(field=field, fields=MEMBER_FIELDS)


@pytest.fixture
def api(outputs, users) -> Api:
    ensure_users(users, "dave", "erin")
    return Api(outputs, users)


async def members(api: Api, user: str, room_id: str) -> dict[str, dict]:
    found, token = {}, None
    while True:
        page = (
            await api.call(user, LIST_MEMBERS, {"roomId": room_id, "limit": 2, "nextToken": token})
        )["listMembers"]
        assert len(page["items"]) <= 2
        found.update({m["userId"]: m for m in page["items"]})
        token = page["nextToken"]
        if token is None:
            return found


async def member_count(api: Api, room_id: str) -> int:
    return (await api.call("bob", GET_COUNT, {"roomId": room_id}))["getRoom"]["memberCount"]


async def test_invited_members_get_the_role_given_below_the_inviter(api):
    room_id = (await api.create_room("bob", "PRIVATE"))["roomId"]
    added = (
        await api.call(
            "bob", ADD_MEMBER, {"roomId": room_id, "userId": api.sub("carol"), "role": "ADMIN"}
        )
    )["addMember"]
    assert (added["role"], added["isMuted"], added["isBanned"]) == ("ADMIN", False, False)
    await api.call("carol", ADD_MEMBER, {"roomId": room_id, "userId": api.sub("dave")})

    assert await api.refusal(
        "carol", ADD_MEMBER, {"roomId": room_id, "userId": api.sub("erin"), "role": "ADMIN"}
    ) == ("Unauthorized", "you cannot grant role ADMIN: it is not below your own")
    assert (await api.refusal("bob", ADD_MEMBER, {"roomId": room_id, "userId": api.sub("dave")}))[
        0
    ] == "Conflict"
    roles = {user: m["role"] for user, m in (await members(api, "dave", room_id)).items()}
    assert roles == {api.sub("bob"): "OWNER", api.sub("carol"): "ADMIN", api.sub("dave"): "MEMBER"}
    assert await member_count(api, room_id) == 3


async def test_roles_change_below_the_callers_own(api):
    room_id = (await api.create_room("bob", "GROUP", ("carol", "dave")))["roomId"]
    carol, dave = api.sub("carol"), api.sub("dave")
    await api.call("bob", SET_ROLE, {"roomId": room_id, "userId": carol, "role": "ADMIN"})
    promoted = (
        await api.call("carol", SET_ROLE, {"roomId": room_id, "userId": dave, "role": "MODERATOR"})
    )["setMemberRole"]
    assert promoted["role"] == "MODERATOR"

    assert (
        await api.refusal("carol", SET_ROLE, {"roomId": room_id, "userId": dave, "role": "ADMIN"})
    )[0] == "Unauthorized"
    assert (
        await api.refusal(
            "dave", SET_ROLE, {"roomId": room_id, "userId": api.sub("bob"), "role": "MEMBER"}
        )
    )[0] == "Unauthorized"
    assert (await members(api, "bob", room_id))[dave]["role"] == "MODERATOR"


async def test_removed_members_lose_access_and_the_count_drops(api):
    room_id = (await api.create_room("bob", "GROUP", ("carol", "dave")))["roomId"]
    removed = (
        await api.call(
            "bob", on_target("removeMember"), {"roomId": room_id, "userId": api.sub("carol")}
        )
    )["removeMember"]

    assert removed["userId"] == api.sub("carol")
    assert await member_count(api, room_id) == 2
    assert api.sub("carol") not in await members(api, "bob", room_id)
    assert (await api.refusal("carol", LIST_MESSAGES, {"roomId": room_id}))[0] == "Unauthorized"


async def test_a_banned_user_cannot_rejoin_read_or_post_until_unbanned(api):
    room_id = (await api.create_room("bob", "PUBLIC", ("carol", "dave")))["roomId"]
    carol = api.sub("carol")
    banned = (await api.call("bob", on_target("banMember"), {"roomId": room_id, "userId": carol}))[
        "banMember"
    ]

    assert (banned["isBanned"], banned["role"]) == (True, "MEMBER")
    assert await member_count(api, room_id) == 2
    assert (await api.refusal("carol", JOIN, {"roomId": room_id}))[0] == "Unauthorized"
    assert (await api.refusal("carol", LIST_MESSAGES, {"roomId": room_id}))[0] == "Unauthorized"
    assert (await api.refusal("carol", SEND_HI, {"roomId": room_id}))[0] == "Unauthorized"
    assert carol not in await members(api, "dave", room_id)
    assert (await members(api, "bob", room_id))[carol]["isBanned"] is True

    unbanned = (
        await api.call("bob", on_target("unbanMember"), {"roomId": room_id, "userId": carol})
    )["unbanMember"]
    assert unbanned["isBanned"] is False
    assert carol not in await members(api, "bob", room_id)
    assert (await api.call("carol", JOIN, {"roomId": room_id}))["joinRoom"]["role"] == "MEMBER"
    assert await member_count(api, room_id) == 3


async def test_a_muted_member_reads_but_cannot_post_until_unmuted(api):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    carol = api.sub("carol")
    await api.send("bob", room_id, "before the mute")
    muted = (await api.call("bob", on_target("muteMember"), {"roomId": room_id, "userId": carol}))[
        "muteMember"
    ]
    assert muted["isMuted"] is True

    assert await api.refusal("carol", SEND_HI, {"roomId": room_id}) == (
        "Unauthorized",
        f"you are muted in room {room_id}",
    )
    listed = (await api.call("carol", LIST_MESSAGES, {"roomId": room_id}))["listMessages"]
    assert [m["content"] for m in listed["items"]] == ["before the mute"]

    await api.call("bob", on_target("unmuteMember"), {"roomId": room_id, "userId": carol})
    assert (await api.call("carol", SEND_HI, {"roomId": room_id}))["sendMessage"] == {
        "content": "hi"
    }


@pytest.mark.parametrize("limit", [0, 101])
async def test_list_members_refuses_a_limit_out_of_range(api, limit):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    assert await api.refusal("bob", LIST_MEMBERS, {"roomId": room_id, "limit": limit}) == (
        "ValidationError",
        f"limit must be 1 to 100, got {limit}",
    )


async def test_list_members_refuses_a_malformed_next_token(api):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    error_type, message = await api.refusal(
        "bob", LIST_MEMBERS, {"roomId": room_id, "nextToken": "garbage"}
    )
    assert error_type == "ValidationError"
    assert "nextToken" in message
