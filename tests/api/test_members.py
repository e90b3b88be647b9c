"""Membership through the emulator: every member mutation, listMembers and onMemberChanged,
with the caller each rule lets through and the callers it stops (see the rule table in
chatspec/resolvers/members.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.seed import create_room_with, data, error, update_settings

MEMBER_FIELDS = "roomId userId role joinedAt isMuted isBanned lastReadAt"
LIST = f"""query($roomId: ID!, $limit: Int, $nextToken: String) {{
  listMembers(roomId: $roomId, limit: $limit, nextToken: $nextToken) {{
    items {{ {MEMBER_FIELDS} }} nextToken
  }}
}}"""
JOIN = f"""mutation($roomId: ID!) {{ joinRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"""
LEAVE = f"""mutation($roomId: ID!) {{ leaveRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"""
ADD = f"""mutation($roomId: ID!, $userId: ID!, $role: MemberRole) {{
  addMember(roomId: $roomId, userId: $userId, role: $role) {{ {MEMBER_FIELDS} }}
}}"""
SET_ROLE = f"""mutation($roomId: ID!, $userId: ID!, $role: MemberRole!) {{
  setMemberRole(roomId: $roomId, userId: $userId, role: $role) {{ {MEMBER_FIELDS} }}
}}"""
SUBSCRIBE = (
    f"""subscription($roomId: ID!) {{ onMemberChanged(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"""
)
ROOM_SUBSCRIPTIONS = {
    "onMessageAdded": "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId } }",
    "onMessageUpdated": "subscription($r: ID!) { onMessageUpdated(roomId: $r) { messageId } }",
    "onTyping": "subscription($r: ID!) { onTyping(roomId: $r) { userId } }",
}


def targeted(field: str) -> str:
    return f"""mutation($roomId: ID!, $userId: ID!) {{
      {field}(roomId: $roomId, userId: $userId) {{ {MEMBER_FIELDS} }}
    }}"""


def create_room(api, user: str = "alice", **input_fields) -> str:
    fields = {"name": "Room", "type": "PUBLIC", **input_fields}
    return create_room_with(api, fields, user=user, fields="roomId memberCount")["roomId"]


def member(api, room_id: str, user: str) -> dict | None:
    for item in api.scan("room_members"):
        if item["roomId"] == room_id and item["userId"] == api.sub_of(user):
            return item
    return None


def member_count(api, room_id: str) -> int:
    return next(item["memberCount"] for item in api.scan("rooms") if item["roomId"] == room_id)


def act(api, field: str, room_id: str, target: str, by: str, groups=()) -> dict:
    variables = {"roomId": room_id, "userId": api.sub_of(target)}
    return api.call(targeted(field), variables, user=by, groups=groups)


def add(api, room_id: str, target: str, by: str = "alice", role: str | None = None, groups=()):
    variables = {"roomId": room_id, "userId": api.sub_of(target), "role": role}
    return api.call(ADD, variables, user=by, groups=groups)


@pytest.fixture
def room(api) -> str:
    """A GROUP room: alice OWNER, adam ADMIN, ada ADMIN, mona MODERATOR, mo MODERATOR,
    mike MEMBER, max MEMBER."""
    room_id = create_room(api, type="GROUP", maxMembers=20)
    for user, role in [
        ("adam", "ADMIN"),
        ("ada", "ADMIN"),
        ("mona", "MODERATOR"),
        ("mo", "MODERATOR"),
        ("mike", None),
        ("max", None),
    ]:
        data(add(api, room_id, user, role=role), "addMember")
    return room_id


# --- joinRoom -----------------------------------------------------------------------------


def test_anyone_joins_a_public_room_and_the_count_follows(api):
    room_id = create_room(api, type="PUBLIC")

    joined = data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")

    assert joined["userId"] == api.sub_of("bob")
    assert joined["role"] == "MEMBER"
    assert joined["isMuted"] is False and joined["isBanned"] is False
    assert member_count(api, room_id) == 2
    assert member(api, room_id, "bob")["roomType"] == "PUBLIC"


def test_joining_twice_returns_the_existing_membership_without_counting_again(api):
    room_id = create_room(api, type="PUBLIC")
    first = data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")

    again = data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")

    assert again == first
    assert member_count(api, room_id) == 2


@pytest.mark.parametrize("room_type", ["PRIVATE", "GROUP", "ANNOUNCEMENT"])
def test_rooms_other_than_public_are_joined_by_invitation_only(api, room_type):
    room_id = create_room(api, type=room_type)

    error_type, message = error(api.call(JOIN, {"roomId": room_id}, user="bob"))

    assert error_type == "Unauthorized"
    assert message == f"room {room_id} does not exist or you are not allowed to see it"
    assert member(api, room_id, "bob") is None
    assert member_count(api, room_id) == 1


def test_max_members_stops_the_join_that_would_exceed_it(api):
    room_id = create_room(api, type="PUBLIC", maxMembers=3)
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    data(api.call(JOIN, {"roomId": room_id}, user="carol"), "joinRoom")

    error_type, message = error(api.call(JOIN, {"roomId": room_id}, user="dave"))

    assert error_type == "LimitExceeded"
    assert "is full" in message
    assert member(api, room_id, "dave") is None
    assert member_count(api, room_id) == 3


def test_max_members_holds_under_concurrent_joins(api):
    room_id = create_room(api, type="PUBLIC", maxMembers=4)
    users = [f"joiner{n}" for n in range(12)]

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(
            pool.map(lambda user: api.call(JOIN, {"roomId": room_id}, user=user), users)
        )

    joined = [r for r in responses if not r.get("errors")]
    refused = [r["errors"][0]["errorType"] for r in responses if r.get("errors")]
    assert len(joined) == 3
    assert set(refused) <= {"LimitExceeded", "Conflict"}
    assert refused.count("LimitExceeded") >= 1
    assert member_count(api, room_id) == 4
    assert len([m for m in api.scan("room_members") if m["roomId"] == room_id]) == 4


def test_a_banned_user_cannot_join_again(api):
    room_id = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    data(act(api, "banMember", room_id, "bob", by="alice"), "banMember")

    error_type, message = error(api.call(JOIN, {"roomId": room_id}, user="bob"))

    assert error_type == "Unauthorized"
    assert "banned" in message
    assert member(api, room_id, "bob")["isBanned"] is True
    assert member_count(api, room_id) == 1


def test_joining_an_unknown_room_answers_like_a_room_one_may_not_see(api):
    hidden = create_room(api, type="PRIVATE")
    unknown = error(api.call(JOIN, {"roomId": "nowhere"}, user="bob"))
    existing = error(api.call(JOIN, {"roomId": hidden}, user="bob"))

    assert unknown == (
        "Unauthorized",
        "room nowhere does not exist or you are not allowed to see it",
    )
    assert existing == (
        "Unauthorized",
        f"room {hidden} does not exist or you are not allowed to see it",
    )
    assert error(api.call(JOIN, {"roomId": "nowhere"}, user="root", groups=["Admin"]))[0] == (
        "NotFound"
    )


# --- leaveRoom ----------------------------------------------------------------------------


def test_a_member_leaves_and_the_count_follows(api):
    room_id = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")

    left = data(api.call(LEAVE, {"roomId": room_id}, user="bob"), "leaveRoom")

    assert left["userId"] == api.sub_of("bob")
    assert member(api, room_id, "bob") is None
    assert member_count(api, room_id) == 1


def test_the_owner_cannot_leave_without_handing_ownership_over(api):
    room_id = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")

    error_type, message = error(api.call(LEAVE, {"roomId": room_id}))
    assert error_type == "Conflict"
    assert "hand ownership over" in message
    assert member(api, room_id, "alice")["role"] == "OWNER"

    handed = api.call(SET_ROLE, {"roomId": room_id, "userId": api.sub_of("bob"), "role": "OWNER"})
    assert data(handed, "setMemberRole")["role"] == "OWNER"
    assert member(api, room_id, "alice")["role"] == "ADMIN"
    data(api.call(LEAVE, {"roomId": room_id}), "leaveRoom")
    assert member(api, room_id, "alice") is None
    assert member_count(api, room_id) == 1


def test_leaving_a_room_one_is_not_in_is_not_found(api):
    room_id = create_room(api, type="PUBLIC")
    assert error(api.call(LEAVE, {"roomId": room_id}, user="bob"))[0] == "NotFound"


def test_a_banned_user_cannot_leave_to_shed_the_ban(api):
    room_id = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    data(act(api, "banMember", room_id, "bob", by="alice"), "banMember")

    assert error(api.call(LEAVE, {"roomId": room_id}, user="bob"))[0] == "Unauthorized"
    assert member(api, room_id, "bob")["isBanned"] is True


def test_nobody_leaves_a_direct_room(api):
    room_id = create_room(api, type="DIRECT", memberIds=[api.sub_of("bob")])
    assert error(api.call(LEAVE, {"roomId": room_id}, user="bob"))[0] == "Conflict"


# --- addMember ----------------------------------------------------------------------------


INVITATIONS_ALLOWED = [
    ("mona", None, ()),
    ("adam", "MODERATOR", ()),
    ("alice", "ADMIN", ()),
    ("cmod", "MEMBER", ("Moderator",)),
    ("root", "MODERATOR", ("Admin",)),
]
INVITATIONS_REFUSED = [
    ("mike", None, "the role MODERATOR or above"),
    ("mallory", None, "not allowed to see it"),
    ("mona", "MODERATOR", "not below your own"),
    ("adam", "ADMIN", "not below your own"),
]


def test_invitations_grant_roles_below_the_inviters_own(api, room):
    for n, (by, role, groups) in enumerate(INVITATIONS_ALLOWED):
        newbie = f"newbie{n}"
        added = data(add(api, room, newbie, by=by, role=role, groups=groups), "addMember")

        assert added["userId"] == api.sub_of(newbie)
        assert added["role"] == (role or "MEMBER"), by
        assert member(api, room, newbie)["role"] == (role or "MEMBER"), by
        assert member_count(api, room) == 8 + n


def test_invitations_beyond_the_inviters_rank_are_refused(api, room):
    update_settings(api, room, allowInvites=False)  # GROUP rooms let members invite by default
    for by, role, expected in INVITATIONS_REFUSED:
        error_type, message = error(add(api, room, "newbie", by=by, role=role))

        assert (error_type, expected in message) == ("Unauthorized", True), (by, role, message)
    assert member(api, room, "newbie") is None
    assert member_count(api, room) == 7


def test_owner_is_never_granted_by_invitation(api, room):
    error_type, message = error(add(api, room, "newbie", role="OWNER"))
    assert error_type == "ValidationError"
    assert "setMemberRole" in message


def test_adding_a_member_twice_or_a_banned_user_is_a_conflict(api, room):
    assert error(add(api, room, "mike", by="adam"))[0] == "Conflict"
    data(act(api, "banMember", room, "max", by="mona"), "banMember")

    error_type, message = error(add(api, room, "max", by="adam"))

    assert error_type == "Conflict"
    assert "unban" in message
    assert member(api, room, "max")["isBanned"] is True


def test_adding_beyond_max_members_is_refused(api):
    room_id = create_room(api, type="PRIVATE", maxMembers=2, memberIds=[api.sub_of("bob")])
    error_type, _ = error(add(api, room_id, "carol"))
    assert error_type == "LimitExceeded"
    assert member(api, room_id, "carol") is None
    assert member_count(api, room_id) == 2


def test_a_direct_room_takes_no_third_member(api):
    room_id = create_room(api, type="DIRECT", memberIds=[api.sub_of("bob")])
    assert error(add(api, room_id, "carol"))[0] == "Conflict"
    assert member(api, room_id, "carol") is None


def test_adding_to_an_unknown_room_is_not_found(api):
    assert error(add(api, "nowhere", "bob", groups=("Admin",)))[0] == "NotFound"


# --- removeMember -------------------------------------------------------------------------


def test_admins_and_the_owner_remove_members_below_them(api, room):
    for n, (by, target) in enumerate([("adam", "mona"), ("adam", "mike"), ("alice", "ada")]):
        removed = data(act(api, "removeMember", room, target, by=by), "removeMember")

        assert removed["userId"] == api.sub_of(target)
        assert member(api, room, target) is None
        assert member_count(api, room) == 6 - n


def test_removal_is_refused_upwards_sideways_and_for_non_members(api, room):
    for by, target, expected_type in [
        ("mona", "mike", "Unauthorized"),
        ("adam", "ada", "Unauthorized"),
        ("adam", "alice", "Unauthorized"),
        ("mike", "max", "Unauthorized"),
        ("adam", "adam", "ValidationError"),
        ("adam", "stranger", "NotFound"),
    ]:
        assert error(act(api, "removeMember", room, target, by=by))[0] == expected_type, (
            by,
            target,
        )
    assert member_count(api, room) == 7
    assert len(api.scan("room_members")) == 7


# --- setMemberRole ------------------------------------------------------------------------


def test_an_admin_promotes_a_member_to_moderator(api, room):
    variables = {"roomId": room, "userId": api.sub_of("mike"), "role": "MODERATOR"}
    updated = data(api.call(SET_ROLE, variables, user="adam"), "setMemberRole")
    assert updated["role"] == "MODERATOR"
    assert member(api, room, "mike")["role"] == "MODERATOR"


def test_role_changes_beyond_the_callers_rank_are_refused(api, room):
    for by, target, role in [
        ("adam", "mike", "ADMIN"),
        ("adam", "ada", "MEMBER"),
        ("mona", "mike", "MODERATOR"),
        ("adam", "mike", "OWNER"),
    ]:
        before = member(api, room, target)["role"]
        variables = {"roomId": room, "userId": api.sub_of(target), "role": role}

        assert error(api.call(SET_ROLE, variables, user=by))[0] == "Unauthorized", (by, role)
        assert member(api, room, target)["role"] == before


def test_handing_ownership_over_demotes_the_owner_in_the_same_write(api, room):
    variables = {"roomId": room, "userId": api.sub_of("mike"), "role": "OWNER"}
    data(api.call(SET_ROLE, variables), "setMemberRole")

    owners = [m["userId"] for m in api.scan("room_members") if m["role"] == "OWNER"]
    assert owners == [api.sub_of("mike")]
    assert member(api, room, "alice")["role"] == "ADMIN"


# --- banMember / unbanMember ----------------------------------------------------------------


def test_a_moderator_bans_a_member_who_then_loses_access(api, room):
    banned = data(act(api, "banMember", room, "mike", by="mona"), "banMember")

    assert banned["isBanned"] is True
    assert banned["role"] == "MEMBER"
    stored = member(api, room, "mike")
    assert stored["isBanned"] is True and stored["bannedBy"] == api.sub_of("mona")
    assert member_count(api, room) == 6
    assert error(api.call(LIST, {"roomId": room}, user="mike"))[0] == "Unauthorized"
    assert act(api, "banMember", room, "mike", by="adam")["errors"][0]["errorType"] == "Conflict"


def test_an_admin_banned_loses_the_role_too(api, room):
    data(act(api, "banMember", room, "ada", by="alice"), "banMember")
    assert member(api, room, "ada")["role"] == "MEMBER"


def test_bans_are_refused_upwards_and_sideways(api, room):
    for by, target, expected_type in [
        ("mona", "mo", "Unauthorized"),
        ("mona", "adam", "Unauthorized"),
        ("mike", "max", "Unauthorized"),
        ("adam", "alice", "Unauthorized"),
        ("mona", "mona", "ValidationError"),
    ]:
        assert error(act(api, "banMember", room, target, by=by))[0] == expected_type, (by, target)
    assert all(m["isBanned"] is False for m in api.scan("room_members"))
    assert member_count(api, room) == 7


def test_a_non_member_can_be_banned_and_stays_out(api, room):
    """A ban of someone not in the room (a join requester, a troll who left) is a ban item
    of its own: memberCount does not change and the user cannot join or be added."""
    banned = data(act(api, "banMember", room, "stranger", by="mona"), "banMember")

    assert banned["isBanned"] is True
    assert member(api, room, "stranger")["isBanned"] is True
    assert member_count(api, room) == 7
    assert error(act(api, "banMember", room, "stranger", by="mona"))[0] == "Conflict"
    assert error(add(api, room, "stranger", by="alice"))[0] == "Conflict"


def test_unbanning_lets_the_user_back_in(api):
    room_id = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    data(act(api, "banMember", room_id, "bob", by="alice"), "banMember")
    assert error(act(api, "unbanMember", room_id, "bob", by="bob"))[0] == "Unauthorized"

    unbanned = data(act(api, "unbanMember", room_id, "bob", by="alice"), "unbanMember")

    assert unbanned["isBanned"] is False
    assert member(api, room_id, "bob") is None
    assert member_count(api, room_id) == 1
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    assert member_count(api, room_id) == 2


def test_unbanning_someone_not_banned_is_not_found(api, room):
    assert error(act(api, "unbanMember", room, "mike", by="mona"))[0] == "NotFound"
    assert member(api, room, "mike")["isBanned"] is False


# --- muteMember / unmuteMember ----------------------------------------------------------------


def test_a_moderator_mutes_and_unmutes_a_member(api, room):
    muted = data(act(api, "muteMember", room, "mike", by="mona"), "muteMember")
    assert muted["isMuted"] is True
    assert member(api, room, "mike")["isMuted"] is True

    unmuted = data(act(api, "unmuteMember", room, "mike", by="mona"), "unmuteMember")
    assert unmuted["isMuted"] is False
    assert member(api, room, "mike")["isMuted"] is False


def test_mutes_are_refused_upwards_sideways_and_for_non_members(api, room):
    for field in ["muteMember", "unmuteMember"]:
        for by, target, expected_type in [
            ("mona", "mo", "Unauthorized"),
            ("mike", "max", "Unauthorized"),
            ("mona", "mona", "ValidationError"),
            ("mona", "stranger", "NotFound"),
        ]:
            response = act(api, field, room, target, by=by)
            assert error(response)[0] == expected_type, (field, by, target)
    assert all(m["isMuted"] is False for m in api.scan("room_members"))


# --- listMembers --------------------------------------------------------------------------------


def test_members_list_members_page_by_page(api, room):
    seen, token = [], None
    for _ in range(10):
        page = data(
            api.call(LIST, {"roomId": room, "limit": 3, "nextToken": token}, user="mike"),
            "listMembers",
        )
        seen += [m["userId"] for m in page["items"]]
        token = page["nextToken"]
        if token is None:
            break
    expected = {api.sub_of(u) for u in ["alice", "adam", "ada", "mona", "mo", "mike", "max"]}
    assert sorted(seen) == sorted(expected)


def test_strangers_cannot_list_members_but_cognito_moderators_can(api, room):
    assert error(api.call(LIST, {"roomId": room}, user="mallory"))[0] == "Unauthorized"
    page = data(api.call(LIST, {"roomId": room}, user="cmod", groups=("Moderator",)), "listMembers")
    assert len(page["items"]) == 7


def test_banned_users_are_listed_to_moderators_only(api, room):
    data(act(api, "banMember", room, "max", by="mona"), "banMember")

    as_member = data(api.call(LIST, {"roomId": room}, user="mike"), "listMembers")["items"]
    as_moderator = data(api.call(LIST, {"roomId": room}, user="mona"), "listMembers")["items"]

    assert api.sub_of("max") not in {m["userId"] for m in as_member}
    assert {m["userId"]: m["isBanned"] for m in as_moderator}[api.sub_of("max")] is True


def test_list_members_refuses_bad_paging(api, room):
    for variables, expected in [
        ({"limit": 0}, "limit must be 1 to 100"),
        ({"limit": 101}, "limit must be 1 to 100"),
        ({"nextToken": "bogus"}, "nextToken"),
    ]:
        error_type, message = error(api.call(LIST, {"roomId": room, **variables}, user="mike"))
        assert error_type == "ValidationError"
        assert expected in message


# --- onMemberChanged ----------------------------------------------------------------------------


def changed(subscription) -> list[dict]:
    return [event["data"]["onMemberChanged"] for event in subscription.events]


def test_members_hear_of_membership_changes_in_their_room_only(api):
    room_id = create_room(api, type="PUBLIC")
    other_room = create_room(api, name="other", type="PUBLIC")
    watching = api.subscribe(SUBSCRIBE, {"roomId": room_id})
    assert watching.error is None

    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    data(api.call(JOIN, {"roomId": other_room}, user="carol"), "joinRoom")
    data(act(api, "muteMember", room_id, "bob", by="alice"), "muteMember")

    events = changed(watching)
    assert [(e["userId"], e["isMuted"]) for e in events] == [
        (api.sub_of("bob"), False),
        (api.sub_of("bob"), True),
    ]
    assert all(e["roomId"] == room_id for e in events)


@pytest.mark.parametrize("who", ["stranger", "banned"])
def test_non_members_and_banned_users_cannot_subscribe(api, who):
    room_id = create_room(api, type="PUBLIC")
    if who == "banned":
        data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
        data(act(api, "banMember", room_id, "bob", by="alice"), "banMember")
    user = "bob" if who == "banned" else "mallory"

    refused = api.subscribe(SUBSCRIBE, {"roomId": room_id}, user=user)

    assert refused.error is not None
    assert refused.error["errorType"] == "Unauthorized"


def test_a_cognito_admin_subscribes_to_any_room(api):
    room_id = create_room(api, type="PRIVATE")
    watching = api.subscribe(SUBSCRIBE, {"roomId": room_id}, user="root", groups=("Admin",))
    assert watching.error is None


@pytest.mark.parametrize("how", ["leaveRoom", "removeMember", "banMember"])
def test_losing_membership_ends_the_users_subscriptions_to_the_room(api, how):
    room_id = create_room(api, type="PUBLIC")
    data(api.call(JOIN, {"roomId": room_id}, user="bob"), "joinRoom")
    bobs = api.subscribe(SUBSCRIBE, {"roomId": room_id}, user="bob")
    alices = api.subscribe(SUBSCRIBE, {"roomId": room_id}, user="alice")
    bobs_others = {
        field: api.subscribe(query, {"r": room_id}, user="bob")
        for field, query in ROOM_SUBSCRIPTIONS.items()
    }
    assert bobs.error is None and alices.error is None
    assert all(sub.error is None for sub in bobs_others.values())

    if how == "leaveRoom":
        data(api.call(LEAVE, {"roomId": room_id}, user="bob"), "leaveRoom")
    else:
        data(act(api, how, room_id, "bob", by="alice"), how)

    assert bobs.closed is True
    assert {field: sub.closed for field, sub in bobs_others.items()} == dict.fromkeys(
        ROOM_SUBSCRIPTIONS, True
    )
    assert alices.closed is False
    data(api.call(JOIN, {"roomId": room_id}, user="carol"), "joinRoom")
    assert api.sub_of("carol") in {e["userId"] for e in changed(alices)}
    assert api.sub_of("carol") not in {e["userId"] for e in changed(bobs)}
