"""Rooms through the emulator: getRoom, listPublicRooms, myRooms, createRoom, updateRoom,
deleteRoom, each rule with the case it allows and the case it refuses."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.seed import create_room_with, data, error

ROOM_FIELDS = "roomId name description type createdBy createdAt memberCount maxMembers"

CREATE = (
    f"""mutation($input: CreateRoomInput!) {{ createRoom(input: $input) {{ {ROOM_FIELDS} }} }}"""
)
GET = f"""query($roomId: ID!) {{ getRoom(roomId: $roomId) {{ {ROOM_FIELDS} }} }}"""
LIST_PUBLIC = """query($limit: Int, $nextToken: String) {
  listPublicRooms(limit: $limit, nextToken: $nextToken) { items { roomId name type } nextToken }
}"""
UPDATE = (
    f"""mutation($input: UpdateRoomInput!) {{ updateRoom(input: $input) {{ {ROOM_FIELDS} }} }}"""
)
DELETE = """mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { roomId deleted } }"""
SETTINGS = """mutation($roomId: ID!, $input: RoomSettingsInput!) {
  updateRoomSettings(roomId: $roomId, input: $input) { roomId } }"""
REQUEST_TO_JOIN = "mutation($roomId: ID!) { requestToJoin(roomId: $roomId) { status } }"
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { messageId } }"
CREATE_POLL = "mutation($input: CreatePollInput!) { createPoll(input: $input) { messageId } }"
VOTE = """mutation($r: ID!, $m: ID!, $o: [ID!]!) {
  votePoll(roomId: $r, messageId: $m, optionIds: $o) { messageId } }"""
REPORT = """mutation($roomId: ID!, $messageId: ID!, $reason: String!) {
  reportMessage(roomId: $roomId, messageId: $messageId, reason: $reason) { reportId } }"""
MY_ROOMS = """query($limit: Int, $nextToken: String) {
  myRooms(limit: $limit, nextToken: $nextToken) {
    items { room { roomId name } role joinedAt lastReadAt unreadCount isMuted } nextToken
  }
}"""
JOIN = """mutation($roomId: ID!) { joinRoom(roomId: $roomId) { roomId userId role } }"""
ADD = """mutation($roomId: ID!, $userId: ID!, $role: MemberRole) {
  addMember(roomId: $roomId, userId: $userId, role: $role) { roomId userId role }
}"""
BAN = """mutation($roomId: ID!, $userId: ID!) {
  banMember(roomId: $roomId, userId: $userId) { userId }
}"""


def create_room(api, user: str = "alice", **input_fields) -> dict:
    fields = {"name": "Lobby", "type": "PUBLIC", **input_fields}
    return create_room_with(api, fields, user=user, fields=ROOM_FIELDS)


def items(api, logical_table: str, **match) -> list[dict]:
    return [
        item
        for item in api.scan(logical_table)
        if all(item.get(key) == value for key, value in match.items())
    ]


def room_item(api, room_id: str) -> dict | None:
    found = items(api, "rooms", roomId=room_id)
    return found[0] if found else None


def add(api, room_id: str, by: str, user: str, role: str | None = None) -> dict:
    variables = {"roomId": room_id, "userId": api.sub_of(user), "role": role}
    return data(api.call(ADD, variables, user=by), "addMember")


# --- createRoom -------------------------------------------------------------------------


def test_create_room_writes_room_owner_and_invited_members_together(api):
    room = create_room(
        api,
        name="  Team  ",
        type="GROUP",
        description="planning",
        memberIds=[api.sub_of("bob"), api.sub_of("carol"), api.sub_of("bob"), api.sub_of("alice")],
    )

    assert room["name"] == "Team", "the name is trimmed"
    assert room["type"] == "GROUP"
    assert room["createdBy"] == api.sub_of("alice")
    assert room["memberCount"] == 3, "duplicates and the caller are not counted twice"
    assert room["maxMembers"] == 1000
    members = {m["userId"]: m for m in items(api, "room_members", roomId=room["roomId"])}
    assert {uid: m["role"] for uid, m in members.items()} == {
        api.sub_of("alice"): "OWNER",
        api.sub_of("bob"): "MEMBER",
        api.sub_of("carol"): "MEMBER",
    }
    assert all(m["roomType"] == "GROUP" and m["isBanned"] is False for m in members.values())
    stored = room_item(api, room["roomId"])
    assert stored["memberCount"] == 3
    assert "visibility" not in stored, "only PUBLIC rooms enter the byVisibility index"


def test_a_public_room_is_marked_for_the_public_listing(api):
    room = create_room(api, type="PUBLIC")
    assert room_item(api, room["roomId"])["visibility"] == "PUBLIC"


@pytest.mark.parametrize(
    ("input_fields", "expected_type", "expected_message"),
    [
        ({"name": "   "}, "ValidationError", "name must hold visible characters"),
        ({"name": "x" * 101}, "ValidationError", "got 101"),
        ({"description": "d" * 1001}, "ValidationError", "description must be at most 1000"),
        ({"maxMembers": 1}, "ValidationError", "maxMembers must be 2 to 10000, got 1"),
        ({"maxMembers": 10001}, "ValidationError", "maxMembers must be 2 to 10000, got 10001"),
        ({"maxMembers": 2, "memberIds": ["u1", "u2"]}, "LimitExceeded", "leaves room for 1"),
        ({"memberIds": [f"u{n}" for n in range(99)]}, "LimitExceeded", "at most 98 other"),
        ({"type": "DIRECT", "memberIds": []}, "ValidationError", "exactly one other user"),
        ({"type": "DIRECT", "memberIds": ["u1", "u2"]}, "ValidationError", "exactly one"),
        ({"type": "DIRECT", "memberIds": ["u1"], "maxMembers": 5}, "ValidationError", "always"),
        ({"memberIds": [""]}, "ValidationError", "input.memberIds must be an id of 1 to 128"),
    ],
)
def test_create_room_refuses_bad_input_and_writes_nothing(
    api, input_fields, expected_type, expected_message
):
    fields = {"name": "Lobby", "type": "GROUP", **input_fields}
    response = api.call(CREATE, {"input": fields})

    error_type, message = error(response)
    assert error_type == expected_type
    assert expected_message in message
    assert api.scan("rooms") == []
    assert api.scan("room_members") == []


def test_create_room_accepts_the_largest_invitation_list(api):
    room = create_room(api, type="GROUP", memberIds=[f"user-{n}" for n in range(98)])
    assert room["memberCount"] == 99
    assert len(items(api, "room_members", roomId=room["roomId"])) == 99


def test_a_direct_room_for_the_same_pair_is_created_once(api):
    first = create_room(api, user="alice", type="DIRECT", memberIds=[api.sub_of("bob")])
    again = create_room(
        api, user="bob", name="other", type="DIRECT", memberIds=[api.sub_of("alice")]
    )

    low, high = sorted([api.sub_of("alice"), api.sub_of("bob")])
    assert first["roomId"] == f"direct#{low}#{high}"
    assert again["roomId"] == first["roomId"]
    assert again["name"] == first["name"], "the existing room comes back unchanged"
    assert first["maxMembers"] == 2 and first["memberCount"] == 2
    assert len(api.scan("rooms")) == 1
    assert len(api.scan("room_members")) == 2


def test_concurrent_creations_of_one_direct_pair_make_one_room(api):
    def open_direct(n: int) -> dict:
        user, other = ("alice", "bob") if n % 2 else ("bob", "alice")
        fields = {"name": "dm", "type": "DIRECT", "memberIds": [api.sub_of(other)]}
        return api.call(CREATE, {"input": fields}, user=user)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(open_direct, range(12)))

    created = {r["data"]["createRoom"]["roomId"] for r in responses if not r.get("errors")}
    refused = {r["errors"][0]["errorType"] for r in responses if r.get("errors")}
    assert len(created) == 1
    assert refused <= {"Conflict"}
    assert len(api.scan("rooms")) == 1
    assert len(api.scan("room_members")) == 2


# --- getRoom ----------------------------------------------------------------------------


def test_anyone_signed_in_reads_a_public_room(api):
    room = create_room(api, type="PUBLIC")
    assert (
        data(api.call(GET, {"roomId": room["roomId"]}, user="stranger"), "getRoom")["roomId"]
        == room["roomId"]
    )


def test_a_private_room_is_readable_by_members_only(api):
    room = create_room(api, type="PRIVATE", memberIds=[api.sub_of("bob")])

    assert data(api.call(GET, {"roomId": room["roomId"]}, user="bob"), "getRoom")["type"] == (
        "PRIVATE"
    )
    error_type, message = error(api.call(GET, {"roomId": room["roomId"]}, user="mallory"))
    assert error_type == "Unauthorized"
    assert message == f"room {room['roomId']} does not exist or you are not allowed to see it"


def test_a_cognito_admin_reads_any_room(api):
    room = create_room(api, type="PRIVATE")
    response = api.call(GET, {"roomId": room["roomId"]}, user="root", groups=("Admin",))
    assert data(response, "getRoom")["roomId"] == room["roomId"]


def test_a_trusted_backend_reads_any_room_over_iam(api):
    room = create_room(api, type="PRIVATE")
    response = api.call_iam(GET, {"roomId": room["roomId"]})
    assert data(response, "getRoom")["roomId"] == room["roomId"]


def test_a_banned_member_no_longer_reads_a_private_room(api):
    room = create_room(api, type="PRIVATE", memberIds=[api.sub_of("bob")])
    data(api.call(BAN, {"roomId": room["roomId"], "userId": api.sub_of("bob")}), "banMember")

    assert error(api.call(GET, {"roomId": room["roomId"]}, user="bob"))[0] == "Unauthorized"


def test_an_unknown_room_answers_like_a_hidden_one_except_to_those_who_see_every_room(api):
    error_type, message = error(api.call(GET, {"roomId": "nowhere"}))
    assert error_type == "Unauthorized"
    assert message == "room nowhere does not exist or you are not allowed to see it"
    as_admin = error(api.call(GET, {"roomId": "nowhere"}, user="root", groups=("Admin",)))
    assert as_admin == ("NotFound", "room nowhere does not exist")


# --- listPublicRooms ---------------------------------------------------------------------


def test_public_rooms_are_listed_newest_first_and_page_through(api):
    created = [create_room(api, name=f"public {n}", type="PUBLIC")["roomId"] for n in range(3)]
    create_room(api, name="hidden", type="PRIVATE")
    create_room(api, name="group", type="GROUP")

    everything = data(api.call(LIST_PUBLIC, {}, user="bob"), "listPublicRooms")
    assert {room["type"] for room in everything["items"]} == {"PUBLIC"}
    assert [room["roomId"] for room in everything["items"]] == list(reversed(created))

    seen, token = [], None
    for _ in range(4):
        page = data(api.call(LIST_PUBLIC, {"limit": 1, "nextToken": token}), "listPublicRooms")
        seen += [room["roomId"] for room in page["items"]]
        token = page["nextToken"]
        if token is None:
            break
    assert seen == list(reversed(created))


@pytest.mark.parametrize("limit", [0, 101])
def test_list_public_rooms_refuses_a_limit_out_of_range(api, limit):
    error_type, message = error(api.call(LIST_PUBLIC, {"limit": limit}))
    assert error_type == "ValidationError"
    assert f"limit must be 1 to 100, got {limit}" in message


def test_list_public_rooms_refuses_a_malformed_next_token(api):
    create_room(api)
    error_type, message = error(api.call(LIST_PUBLIC, {"nextToken": "garbage!"}))
    assert error_type == "ValidationError"
    assert "nextToken" in message


# --- updateRoom -------------------------------------------------------------------------


def staffed_room(api) -> dict:
    room = create_room(api, type="GROUP", maxMembers=10)
    add(api, room["roomId"], "alice", "adam", "ADMIN")
    add(api, room["roomId"], "alice", "mona", "MODERATOR")
    add(api, room["roomId"], "alice", "mike")
    return room


def test_owner_admins_and_cognito_admins_update_a_room(api):
    room = staffed_room(api)
    for n, (user, groups) in enumerate([("alice", ()), ("adam", ()), ("root", ("Admin",))]):
        changes = {"roomId": room["roomId"], "name": f" Renamed {n} ", "maxMembers": 50 + n}
        response = api.call(UPDATE, {"input": changes}, user=user, groups=groups)
        updated = data(response, "updateRoom")

        assert updated["name"] == f"Renamed {n}"
        assert updated["maxMembers"] == 50 + n
        assert updated["description"] is None, "fields not given stay as they were"
    assert room_item(api, room["roomId"])["updatedAt"] >= room["createdAt"]


def test_moderators_members_and_strangers_cannot_update_a_room(api):
    room = staffed_room(api)
    for user, groups in [("mona", ()), ("mike", ()), ("mallory", ()), ("cmod", ("Moderator",))]:
        changes = {"roomId": room["roomId"], "name": "Hijacked"}
        response = api.call(UPDATE, {"input": changes}, user=user, groups=groups)
        assert error(response)[0] == "Unauthorized", user
    assert room_item(api, room["roomId"])["name"] == "Lobby"


def test_max_members_cannot_go_below_the_member_count(api):
    room = staffed_room(api)
    response = api.call(UPDATE, {"input": {"roomId": room["roomId"], "maxMembers": 3}})
    error_type, message = error(response)
    assert error_type == "Conflict"
    assert "below the room's current memberCount 4" in message
    assert room_item(api, room["roomId"])["maxMembers"] == 10


def test_update_room_refuses_bad_input(api):
    room = staffed_room(api)
    for changes, expected in [
        ({}, "at least one of name, description, maxMembers"),
        ({"name": ""}, "name must hold visible characters"),
        ({"maxMembers": 20000}, "maxMembers must be 2 to 10000"),
        ({"description": "d" * 1001}, "description must be at most 1000"),
    ]:
        response = api.call(UPDATE, {"input": {"roomId": room["roomId"], **changes}})
        error_type, message = error(response)
        assert error_type == "ValidationError"
        assert expected in message
    assert room_item(api, room["roomId"])["name"] == "Lobby"


def test_a_direct_room_keeps_max_members_two(api):
    room = create_room(api, type="DIRECT", memberIds=[api.sub_of("bob")])
    response = api.call(UPDATE, {"input": {"roomId": room["roomId"], "maxMembers": 3}})
    assert error(response)[0] == "ValidationError"


def test_updating_an_unknown_room_is_not_found(api):
    response = api.call(UPDATE, {"input": {"roomId": "nowhere", "name": "x"}}, groups=("Admin",))
    assert error(response)[0] == "NotFound"


# --- myRooms (rooms Lambda) ---------------------------------------------------------------


def test_my_rooms_lists_the_callers_rooms_with_role_and_unread_count(api):
    mine = create_room(api, user="bob", name="bob's", type="GROUP")
    joined = create_room(api, user="alice", name="alice's", type="PUBLIC")
    data(api.call(JOIN, {"roomId": joined["roomId"]}, user="bob"), "joinRoom")
    create_room(api, user="alice", name="not bob's", type="GROUP")

    page = data(api.call(MY_ROOMS, {}, user="bob"), "myRooms")

    assert page["nextToken"] is None
    roles = {item["room"]["name"]: item["role"] for item in page["items"]}
    assert roles == {"bob's": "OWNER", "alice's": "MEMBER"}
    assert all(item["unreadCount"] == 0 and item["isMuted"] is False for item in page["items"])
    assert mine["roomId"] in {item["room"]["roomId"] for item in page["items"]}


def test_my_rooms_leaves_out_rooms_the_caller_is_banned_from(api):
    room = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room["roomId"]}, user="bob"), "joinRoom")
    data(api.call(BAN, {"roomId": room["roomId"], "userId": api.sub_of("bob")}), "banMember")

    assert data(api.call(MY_ROOMS, {}, user="bob"), "myRooms")["items"] == []


def test_my_rooms_refuses_bad_paging(api):
    assert error(api.call(MY_ROOMS, {"limit": 0}))[0] == "ValidationError"
    assert error(api.call(MY_ROOMS, {"nextToken": "%%%"}))[0] == "ValidationError"


# --- deleteRoom (rooms Lambda) ------------------------------------------------------------


def test_the_owner_deletes_a_room_and_everything_in_it(api):
    room = create_room(api, type="GROUP", memberIds=[api.sub_of("bob")])
    other = create_room(api, name="kept", type="GROUP")

    result = data(api.call(DELETE, {"roomId": room["roomId"]}), "deleteRoom")

    assert result == {"roomId": room["roomId"], "deleted": True}
    assert error(api.call(GET, {"roomId": room["roomId"]}))[0] == "Unauthorized"
    assert api.scan("rooms") == [room_item(api, other["roomId"])]
    assert items(api, "room_members", roomId=room["roomId"]) == []
    assert room_item(api, other["roomId"]) is not None


def test_deleting_a_room_removes_what_hangs_on_its_messages_and_its_records(api):
    """Mention items, poll votes, join requests, reports and the audit trail go with the
    room: none of them could be read again, and none may outlive what they refer to."""
    room = create_room(api, memberIds=[api.sub_of("bob")])["roomId"]
    approval = {"roomId": room, "input": {"requireApproval": True}}
    data(api.call(SETTINGS, approval), "updateRoomSettings")
    data(api.call(REQUEST_TO_JOIN, {"roomId": room}, user="carol"), "requestToJoin")
    mention = {"roomId": room, "content": "hi @bob", "mentions": [api.sub_of("bob")]}
    sent = data(api.call(SEND, {"input": mention}), "sendMessage")
    poll = {"roomId": room, "question": "Lunch?", "options": ["pizza", "sushi"]}
    made = data(api.call(CREATE_POLL, {"input": poll}), "createPoll")
    chosen = {"r": room, "m": made["messageId"], "o": ["o1"]}
    data(api.call(VOTE, chosen, user="bob"), "votePoll")
    report = {"roomId": room, "messageId": sent["messageId"], "reason": "spam"}
    data(api.call(REPORT, report, user="bob"), "reportMessage")
    before = {t: len(api.scan(t)) for t in ("mentions", "poll_votes", "join_requests")}
    assert all(before.values()) and items(api, "moderation", roomId=room)

    data(api.call(DELETE, {"roomId": room}), "deleteRoom")

    assert [m for m in api.scan("mentions") if m["mentionKey"].endswith(f"#{room}")] == []
    assert [v for v in api.scan("poll_votes") if v["pollKey"].startswith(f"{room}#")] == []
    assert items(api, "join_requests", roomId=room) == []
    assert items(api, "moderation", roomId=room) == []


def test_a_room_admin_cannot_delete_the_room(api):
    room = create_room(api, type="GROUP")
    add(api, room["roomId"], "alice", "adam", "ADMIN")

    error_type, message = error(api.call(DELETE, {"roomId": room["roomId"]}, user="adam"))

    assert error_type == "Unauthorized"
    assert "only the owner" in message
    assert room_item(api, room["roomId"]) is not None
    assert len(items(api, "room_members", roomId=room["roomId"])) == 2


def test_unread_counts_start_at_the_join_and_follow_new_messages(api):
    send = """mutation($input: SendMessageInput!) { sendMessage(input: $input) { messageId } }"""
    room = create_room(api, type="PUBLIC")
    data(api.call(send, {"input": {"roomId": room["roomId"], "content": "before"}}), "sendMessage")
    data(api.call(JOIN, {"roomId": room["roomId"]}, user="bob"), "joinRoom")
    for n in range(2):
        message = {"roomId": room["roomId"], "content": f"after {n}"}
        data(api.call(send, {"input": message}), "sendMessage")

    bobs = data(api.call(MY_ROOMS, {}, user="bob"), "myRooms")["items"]

    assert [item["unreadCount"] for item in bobs] == [2]
