"""Room lifecycle through the running emulator: create each type, list, join, leave,
limits, ownership, deletion."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.api_calls import ADD_MEMBER, MEMBER_FIELDS, ROOM_FIELDS, Api, ensure_users, unique

pytestmark = pytest.mark.e2e

GET_ROOM = f"query($roomId: ID!) {{ getRoom(roomId: $roomId) {{ {ROOM_FIELDS} }} }}"
LIST_PUBLIC = f"""query($limit: Int, $nextToken: String) {{
  listPublicRooms(limit: $limit, nextToken: $nextToken) {{
    items {{ {ROOM_FIELDS} }} nextToken }} }}"""
LIST_MEMBERS = f"""query($roomId: ID!, $limit: Int, $nextToken: String) {{
  listMembers(roomId: $roomId, limit: $limit, nextToken: $nextToken) {{
    items {{ {MEMBER_FIELDS} }} nextToken }} }}"""
MY_ROOMS = """query($limit: Int, $nextToken: String) {
  myRooms(limit: $limit, nextToken: $nextToken) {
    items { role joinedAt unreadCount isMuted room { roomId name memberCount } } nextToken } }"""
JOIN = f"mutation($roomId: ID!) {{ joinRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"
LEAVE = f"mutation($roomId: ID!) {{ leaveRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"
UPDATE = (
    f"""mutation($input: UpdateRoomInput!) {{ updateRoom(input: $input) {{ {ROOM_FIELDS} }} }}"""
)
DELETE = "mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { roomId deleted } }"
SET_ROLE = f"""mutation($roomId: ID!, $userId: ID!, $role: MemberRole!) {{
  setMemberRole(roomId: $roomId, userId: $userId, role: $role) {{ {MEMBER_FIELDS} }} }}"""
LIST_MESSAGES = """query($roomId: ID!) { listMessages(roomId: $roomId) { items { messageId } } }"""
JOINERS = tuple(f"joiner{i}" for i in range(6))


@pytest.fixture
def api(outputs, users) -> Api:
    return Api(outputs, users)


async def all_members(api: Api, user: str, room_id: str) -> list[dict]:
    members, token = [], None
    while True:
        page = (
            await api.call(user, LIST_MEMBERS, {"roomId": room_id, "limit": 2, "nextToken": token})
        )["listMembers"]
        members += page["items"]
        token = page["nextToken"]
        if token is None:
            return members


async def my_room_ids(api: Api, user: str) -> dict[str, dict]:
    rooms, token = {}, None
    while True:
        page = (await api.call(user, MY_ROOMS, {"limit": 100, "nextToken": token}))["myRooms"]
        rooms.update({item["room"]["roomId"]: item for item in page["items"]})
        token = page["nextToken"]
        if token is None:
            return rooms


@pytest.mark.parametrize("room_type", ["PUBLIC", "PRIVATE", "GROUP", "ANNOUNCEMENT"])
async def test_each_room_type_starts_with_its_owner_and_invited_members(api, room_type):
    room = await api.create_room("bob", room_type, ("carol",), description="about things")

    assert room["type"] == room_type
    assert room["createdBy"] == api.sub("bob")
    assert (room["memberCount"], room["maxMembers"]) == (2, 1000)
    assert (await api.call("carol", GET_ROOM, {"roomId": room["roomId"]}))["getRoom"] == room
    roles = {m["userId"]: m["role"] for m in await all_members(api, "carol", room["roomId"])}
    assert roles == {api.sub("bob"): "OWNER", api.sub("carol"): "MEMBER"}
    assert (await my_room_ids(api, "carol"))[room["roomId"]]["role"] == "MEMBER"


async def test_a_direct_room_for_the_same_pair_is_created_once(api):
    ensure_users(api.users, "dm-one", "dm-two")
    first = await api.create_room("dm-one", "DIRECT", ("dm-two",))
    again = await api.create_room("dm-two", "DIRECT", ("dm-one",))

    low, high = sorted([api.sub("dm-one"), api.sub("dm-two")])
    assert first["roomId"] == again["roomId"] == f"direct#{low}#{high}"
    assert (again["memberCount"], again["maxMembers"]) == (2, 2)
    assert len(await all_members(api, "dm-two", first["roomId"])) == 2
    assert await api.refusal("dm-two", LEAVE, {"roomId": first["roomId"]}) == (
        "Conflict",
        "a DIRECT room always keeps its two members",
    )


async def test_a_direct_room_takes_exactly_one_other_user(api):
    error_type, message = await api.refusal(
        "bob",
        "mutation($input: CreateRoomInput!) { createRoom(input: $input) { roomId } }",
        {"input": {"name": "dm", "type": "DIRECT", "memberIds": []}},
    )
    assert error_type == "ValidationError"
    assert "exactly one other user" in message


async def test_public_rooms_are_listed_newest_first_page_by_page(api):
    created = [(await api.create_room("bob", "PUBLIC"))["roomId"] for _ in range(3)]
    private = (await api.create_room("bob", "PRIVATE"))["roomId"]

    listed, token = [], None
    while True:
        page = (await api.call("carol", LIST_PUBLIC, {"limit": 2, "nextToken": token}))[
            "listPublicRooms"
        ]
        assert len(page["items"]) <= 2
        listed += [room["roomId"] for room in page["items"]]
        token = page["nextToken"]
        if token is None:
            break
    assert len(listed) == len(set(listed))
    assert [room_id for room_id in listed if room_id in created] == created[::-1]
    assert private not in listed


@pytest.mark.parametrize("limit", [0, 101])
async def test_list_public_rooms_refuses_a_limit_out_of_range(api, limit):
    error_type, message = await api.refusal("bob", LIST_PUBLIC, {"limit": limit})
    assert (error_type, message) == ("ValidationError", f"limit must be 1 to 100, got {limit}")


@pytest.mark.parametrize(
    ("query", "field"),
    [(LIST_PUBLIC, "listPublicRooms"), (MY_ROOMS, "myRooms")],
    ids=["listPublicRooms", "myRooms"],
)
async def test_a_malformed_next_token_is_a_validation_error(api, query, field):
    error_type, message = await api.refusal("bob", query, {"nextToken": "not-a-token"})
    assert error_type == "ValidationError"
    assert "nextToken" in message


async def test_update_room_changes_what_admins_ask_and_keeps_max_members_above_the_count(api):
    room = await api.create_room("bob", "GROUP", ("carol",))
    room_id = room["roomId"]

    updated = (
        await api.call(
            "bob", UPDATE, {"input": {"roomId": room_id, "name": "renamed", "maxMembers": 5}}
        )
    )["updateRoom"]
    assert (updated["name"], updated["maxMembers"], updated["description"]) == (
        "renamed",
        5,
        None,
    )
    assert (await api.refusal("bob", UPDATE, {"input": {"roomId": room_id, "maxMembers": 1}}))[
        0
    ] == "ValidationError"
    ensure_users(api.users, "dave")
    await api.call("bob", ADD_MEMBER, {"roomId": room_id, "userId": api.sub("dave")})
    assert await api.refusal("bob", UPDATE, {"input": {"roomId": room_id, "maxMembers": 2}}) == (
        "Conflict",
        "maxMembers 2 is below the room's current memberCount 3",
    )
    assert (await api.refusal("carol", UPDATE, {"input": {"roomId": room_id, "name": "x"}}))[
        0
    ] == "Unauthorized"
    assert (await api.call("carol", GET_ROOM, {"roomId": room_id}))["getRoom"]["name"] == "renamed"


async def test_joining_and_leaving_a_public_room_moves_the_member_count(api):
    room_id = (await api.create_room("bob", "PUBLIC"))["roomId"]

    joined = (await api.call("carol", JOIN, {"roomId": room_id}))["joinRoom"]
    again = (await api.call("carol", JOIN, {"roomId": room_id}))["joinRoom"]
    assert (joined["role"], joined["userId"]) == ("MEMBER", api.sub("carol"))
    assert again["joinedAt"] == joined["joinedAt"]
    assert (await api.call("bob", GET_ROOM, {"roomId": room_id}))["getRoom"]["memberCount"] == 2
    assert room_id in await my_room_ids(api, "carol")

    left = (await api.call("carol", LEAVE, {"roomId": room_id}))["leaveRoom"]
    assert left["userId"] == api.sub("carol")
    assert (await api.call("bob", GET_ROOM, {"roomId": room_id}))["getRoom"]["memberCount"] == 1
    assert room_id not in await my_room_ids(api, "carol")
    assert (await api.refusal("carol", LEAVE, {"roomId": room_id}))[0] == "NotFound"


def hidden(room_id: str) -> tuple[str, str]:
    """The one answer about a room the caller may not see, whether it exists or not."""
    return ("Unauthorized", f"room {room_id} does not exist or you are not allowed to see it")


async def test_private_rooms_are_joined_by_invitation_only(api):
    room_id = (await api.create_room("bob", "PRIVATE"))["roomId"]
    assert await api.refusal("carol", JOIN, {"roomId": room_id}) == hidden(room_id)


async def test_a_full_room_refuses_the_next_join(api):
    ensure_users(api.users, "dave")
    room_id = (await api.create_room("bob", "PUBLIC", maxMembers=2))["roomId"]
    await api.call("carol", JOIN, {"roomId": room_id})

    error_type, message = await api.refusal("dave", JOIN, {"roomId": room_id})
    assert error_type == "LimitExceeded"
    assert "full" in message
    assert (await api.call("bob", GET_ROOM, {"roomId": room_id}))["getRoom"]["memberCount"] == 2


async def test_max_members_holds_under_concurrent_joins(api, emulator):
    """Several full-speed races at once, so that a lost race shows on every run."""
    ensure_users(api.users, *JOINERS)
    rooms = [(await api.create_room("bob", "PUBLIC", maxMembers=3))["roomId"] for _ in range(4)]
    log_before = len(emulator.log())

    outcomes = await asyncio.gather(
        *(api.attempt(user, JOIN, {"roomId": room_id}) for room_id in rooms for user in JOINERS)
    )

    per_room = len(JOINERS)
    for index, room_id in enumerate(rooms):
        mine = outcomes[index * per_room : (index + 1) * per_room]
        refused = [errors[0]["errorType"] for _, errors in mine if errors]
        assert refused == ["LimitExceeded"] * (per_room - 2), refused
        count = (await api.call("bob", GET_ROOM, {"roomId": room_id}))["getRoom"]["memberCount"]
        assert count == 3
        assert len(await all_members(api, "bob", room_id)) == 3
    new_log = emulator.log()[log_before:]
    assert "Traceback" not in new_log, new_log


async def test_the_owner_hands_ownership_over_before_leaving(api):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    error_type, message = await api.refusal("bob", LEAVE, {"roomId": room_id})
    assert error_type == "Conflict"
    assert "hand ownership over" in message

    carol = api.sub("carol")
    handed = await api.call("bob", SET_ROLE, {"roomId": room_id, "userId": carol, "role": "OWNER"})
    assert handed["setMemberRole"]["role"] == "OWNER"
    roles = {m["userId"]: m["role"] for m in await all_members(api, "carol", room_id)}
    assert roles == {carol: "OWNER", api.sub("bob"): "ADMIN"}
    assert (await api.call("bob", LEAVE, {"roomId": room_id}))["leaveRoom"]["role"] == "ADMIN"


async def test_deleting_a_room_removes_it_with_its_members_and_messages(api):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    await api.send("carol", room_id, "soon gone")

    assert (await api.refusal("carol", DELETE, {"roomId": room_id}))[0] == "Unauthorized"
    deleted = (await api.call("bob", DELETE, {"roomId": room_id}))["deleteRoom"]

    assert deleted == {"roomId": room_id, "deleted": True}
    assert (await api.refusal("alice", GET_ROOM, {"roomId": room_id}))[0] == "NotFound"
    assert room_id not in await my_room_ids(api, "carol")
    assert (await api.refusal("alice", LIST_MESSAGES, {"roomId": room_id}))[0] == "NotFound"
    assert await api.refusal("carol", LIST_MESSAGES, {"roomId": room_id}) == hidden(room_id)
    assert await api.refusal("bob", DELETE, {"roomId": room_id}) == hidden(room_id)
    assert (await api.refusal("alice", DELETE, {"roomId": room_id}))[0] == "NotFound"


async def test_an_unknown_room_answers_like_a_hidden_one_unless_the_caller_sees_all(api):
    unknown = unique("no-such-room")
    assert await api.refusal("bob", GET_ROOM, {"roomId": unknown}) == hidden(unknown)
    assert await api.refusal("bob", JOIN, {"roomId": unknown}) == hidden(unknown)
    private = (await api.create_room("carol", "PRIVATE"))["roomId"]
    assert await api.refusal("bob", GET_ROOM, {"roomId": private}) == hidden(private)
    send = 'mutation($r: ID!) { sendMessage(input: {roomId: $r, content: "hi"}) { messageId } }'
    assert await api.refusal("alice", send, {"r": unknown}) == (
        "NotFound",
        f"room {unknown} does not exist",
    )
