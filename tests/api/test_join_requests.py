"""Join requests through the emulator: requireApproval turns joinRoom into requestToJoin,
moderators list, approve and reject (onJoinRequest), the requester learns the outcome
(onJoinRequestDecided, then myRooms), and the room's rules apply at approval: a user
banned after asking is refused, and so is an approval past maxMembers."""

from __future__ import annotations

import pytest

from tests.api.seed import ban, create_room_with, data, error, set_role, update_settings

REQUEST = """mutation($r: ID!) { requestToJoin(roomId: $r) { roomId userId status requestedAt } }"""
DECIDE = """mutation($r: ID!, $u: ID!) {{
  {field}(roomId: $r, userId: $u) {{ roomId userId status decidedAt decidedBy }} }}"""
LIST = """query($r: ID!, $limit: Int, $token: String) {
  listJoinRequests(roomId: $r, limit: $limit, nextToken: $token) {
    items { userId status } nextToken } }"""
JOIN = "mutation($r: ID!) { joinRoom(roomId: $r) { userId role } }"
ON_REQUEST = "subscription($r: ID!) { onJoinRequest(roomId: $r) { roomId userId status } }"
ON_DECIDED = "subscription($r: ID!) { onJoinRequestDecided(roomId: $r) { roomId userId status } }"
MY_ROOMS = "{ myRooms { items { room { roomId } role } } }"


@pytest.fixture
def room(api) -> str:
    """A PUBLIC room with requireApproval; mod is its MODERATOR."""
    room_id = create_room_with(
        api, {"name": "club", "type": "PUBLIC", "memberIds": [api.sub_of("mod")], "maxMembers": 3}
    )["roomId"]
    set_role(api, room_id, "mod", "MODERATOR")
    update_settings(api, room_id, requireApproval=True)
    return room_id


def decide(api, field, room, user, by="mod"):
    return api.call(DECIDE.format(field=field), {"r": room, "u": api.sub_of(user)}, user=by)


def test_join_room_asks_for_request_to_join_and_nothing_is_written(api, room):
    error_type, message = error(api.call(JOIN, {"r": room}, user="bob"))
    assert error_type == "Conflict" and "requestToJoin" in message
    assert [m for m in api.scan("room_members") if m["userId"] == api.sub_of("bob")] == []


def test_a_request_is_approved_and_the_requester_is_told(api, room):
    moderators = api.subscribe(ON_REQUEST, {"r": room}, user="mod")
    told = api.subscribe(ON_DECIDED, {"r": room}, user="bob")
    other = api.subscribe(ON_DECIDED, {"r": room}, user="carol")
    assert moderators.error is None and told.error is None and other.error is None

    asked = data(api.call(REQUEST, {"r": room}, user="bob"), "requestToJoin")
    again = data(api.call(REQUEST, {"r": room}, user="bob"), "requestToJoin")
    data(api.call(REQUEST, {"r": room}, user="carol"), "requestToJoin")
    pending = data(api.call(LIST, {"r": room}, user="mod"), "listJoinRequests")["items"]
    approved = data(decide(api, "approveJoinRequest", room, "bob"), "approveJoinRequest")

    assert asked["status"] == "PENDING" and again == asked, "asking twice keeps one request"
    assert {p["userId"] for p in pending} == {api.sub_of("bob"), api.sub_of("carol")}
    assert approved["status"] == "APPROVED" and approved["decidedBy"] == api.sub_of("mod")
    seen = [e["data"]["onJoinRequest"]["status"] for e in moderators.events]
    assert seen == ["PENDING", "PENDING", "PENDING", "APPROVED"]
    assert [e["data"]["onJoinRequestDecided"] for e in told.events] == [
        {"roomId": room, "userId": api.sub_of("bob"), "status": "APPROVED"}
    ]
    assert other.events == [], "nobody learns about another user's request"
    rooms = data(api.call(MY_ROOMS, user="bob"), "myRooms")["items"]
    assert {"room": {"roomId": room}, "role": "MEMBER"} in rooms
    remaining = data(api.call(LIST, {"r": room}, user="mod"), "listJoinRequests")["items"]
    assert [p["userId"] for p in remaining] == [api.sub_of("carol")]


def test_a_user_banned_after_asking_cannot_be_approved(api, room):
    data(api.call(REQUEST, {"r": room}, user="bob"), "requestToJoin")
    ban(api, room, "bob", by="mod")

    error_type, message = error(decide(api, "approveJoinRequest", room, "bob"))

    assert error_type == "Conflict" and "banned" in message
    stored = [m for m in api.scan("room_members") if m["userId"] == api.sub_of("bob")]
    assert [m["isBanned"] for m in stored] == [True]
    room_item = next(r for r in api.scan("rooms") if r["roomId"] == room)
    assert room_item["memberCount"] == 2
    request = next(r for r in api.scan("join_requests") if r["userId"] == api.sub_of("bob"))
    assert request["status"] == "PENDING", "nothing half-written"
    assert error(api.call(REQUEST, {"r": room}, user="bob"))[0] == "Unauthorized"


def test_max_members_applies_at_approval(api, room):
    for user in ("bob", "carol"):
        data(api.call(REQUEST, {"r": room}, user=user), "requestToJoin")
    data(decide(api, "approveJoinRequest", room, "bob"), "approveJoinRequest")

    error_type, message = error(decide(api, "approveJoinRequest", room, "carol"))

    assert error_type == "LimitExceeded" and "maxMembers (3)" in message


def test_a_rejected_request_tells_the_requester_and_may_be_asked_again(api, room):
    told = api.subscribe(ON_DECIDED, {"r": room}, user="bob")
    data(api.call(REQUEST, {"r": room}, user="bob"), "requestToJoin")
    rejected = data(decide(api, "rejectJoinRequest", room, "bob"), "rejectJoinRequest")

    assert rejected["status"] == "REJECTED"
    assert [e["data"]["onJoinRequestDecided"]["status"] for e in told.events] == ["REJECTED"]
    assert error(decide(api, "approveJoinRequest", room, "bob"))[0] == "NotFound"
    assert data(api.call(REQUEST, {"r": room}, user="bob"), "requestToJoin")["status"] == (
        "PENDING"
    )


@pytest.mark.parametrize("user", ["bob", "member"])
def test_only_moderators_list_and_decide(api, room, user):
    if user == "member":
        data(api.call(REQUEST, {"r": room}, user="member"), "requestToJoin")
        data(decide(api, "approveJoinRequest", room, "member"), "approveJoinRequest")
    data(api.call(REQUEST, {"r": room}, user="dave"), "requestToJoin")

    assert error(api.call(LIST, {"r": room}, user=user))[0] == "Unauthorized"
    assert error(decide(api, "approveJoinRequest", room, "dave", by=user))[0] == "Unauthorized"
    assert api.subscribe(ON_REQUEST, {"r": room}, user=user).error["errorType"] == "Unauthorized"


def test_rooms_without_approval_refuse_requests(api):
    room = create_room_with(api, {"name": "open", "type": "PUBLIC"})["roomId"]
    error_type, message = error(api.call(REQUEST, {"r": room}, user="bob"))
    assert error_type == "Conflict" and "joinRoom" in message
    assert data(api.call(JOIN, {"r": room}, user="bob"), "joinRoom")["role"] == "MEMBER"


def test_moderators_may_ban_a_user_who_is_not_in_the_room(api, room):
    ban(api, room, "troll", by="mod")
    assert error(api.call(REQUEST, {"r": room}, user="troll"))[0] == "Unauthorized"
