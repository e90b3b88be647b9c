"""Profiles through the in-process API: me, updateProfile, getUsers, and Message.author /
RoomMember.user resolved in batches (AppSync BatchInvoke), each rule with the case it
allows and the case it refuses."""

from __future__ import annotations

import pytest

from chatspec.rules import DISPLAY_NAME_MAX_LENGTH, GET_USERS_MAX_IDS, STATUS_TEXT_MAX_LENGTH
from tests.api.seed import ban, create_room, data, error, send

PROFILE = "userId displayName statusText createdAt updatedAt"
ME = f"{{ me {{ {PROFILE} }} }}"
UPDATE = (
    f"""mutation($input: UpdateProfileInput!) {{ updateProfile(input: $input) {{ {PROFILE} }} }}"""
)
GET_USERS = f"""query($ids: [ID!]!) {{ getUsers(userIds: $ids) {{ {PROFILE} }} }}"""
PAGE = """query($r: ID!, $limit: Int) {
  listMessages(roomId: $r, limit: $limit) {
    items { messageId authorId author { userId displayName } }
  }
}"""
MEMBERS = """query($r: ID!) {
  listMembers(roomId: $r) { items { userId user { userId displayName statusText } } }
}"""


def name(api, user: str, display_name: str) -> None:
    data(api.call(UPDATE, {"input": {"displayName": display_name}}, user=user), "updateProfile")


def test_me_creates_a_profile_once_with_the_default_name(api):
    first = data(api.call(ME, user="dave"), "me")
    sub = api.sub_of("dave")
    assert first["userId"] == sub
    assert first["displayName"] == f"user-{sub[:8]}"
    assert data(api.call(ME, user="dave"), "me") == first
    assert [p["userId"] for p in api.scan("users")] == [sub]


def test_me_takes_the_email_local_part_when_the_token_has_one(api):
    from emulator.core import COGNITO
    from emulator.identity import cognito_identity

    identity = cognito_identity("erin", extra_claims={"email": "Erin.Example@example.com"})
    result = api.engine.execute(ME, None, None, identity, COGNITO)
    assert data(result, "me")["displayName"] == "Erin.Example"


def test_update_profile_changes_only_the_callers_profile(api):
    updated = data(
        api.call(UPDATE, {"input": {"displayName": "  Alice A.  ", "statusText": "on call"}}),
        "updateProfile",
    )
    assert updated["userId"] == api.sub_of("alice")
    assert (updated["displayName"], updated["statusText"]) == ("Alice A.", "on call")
    assert updated["updatedAt"] and updated["createdAt"]
    renamed = data(api.call(UPDATE, {"input": {"displayName": "Al"}}), "updateProfile")
    assert (renamed["displayName"], renamed["statusText"]) == ("Al", "on call")
    cleared = data(api.call(UPDATE, {"input": {"statusText": ""}}), "updateProfile")
    assert (cleared["displayName"], cleared["statusText"]) == ("Al", None)
    assert data(api.call(ME), "me")["displayName"] == "Al"
    assert [p["userId"] for p in api.scan("users")] == [api.sub_of("alice")]


def test_update_profile_without_a_profile_creates_one_with_the_default_name(api):
    made = data(api.call(UPDATE, {"input": {"statusText": "hi"}}, user="frank"), "updateProfile")
    assert made["displayName"] == f"user-{api.sub_of('frank')[:8]}"
    assert made["statusText"] == "hi"


@pytest.mark.parametrize(
    ("input", "says"),
    [
        ({}, "needs displayName, statusText or avatarUploadId"),
        ({"displayName": ""}, "blank"),
        ({"displayName": " \u200b\u2800 "}, "blank"),
        ({"displayName": "a\u0007b"}, "control characters"),
        ({"displayName": "x" * (DISPLAY_NAME_MAX_LENGTH + 1)}, "1 to 64 characters"),
        ({"statusText": "s" * (STATUS_TEXT_MAX_LENGTH + 1)}, "at most 140"),
        ({"statusText": "a\u001bb"}, "control characters"),
    ],
)
def test_update_profile_refuses_bad_input_and_writes_nothing(api, input, says):
    kind, message = error(api.call(UPDATE, {"input": input}))
    assert kind == "ValidationError"
    assert says in message
    assert api.scan("users") == []


def test_a_display_name_of_exactly_64_characters_is_accepted(api):
    exact = "x" * DISPLAY_NAME_MAX_LENGTH
    assert (
        data(api.call(UPDATE, {"input": {"displayName": exact}}), "updateProfile")["displayName"]
        == exact
    )


def test_get_users_shows_people_who_share_a_room_and_null_for_others(api):
    for user in ("alice", "bob", "carol"):
        name(api, user, user.title())
    create_room(api, owner="alice", members=("bob",))
    ids = [api.sub_of(u) for u in ("carol", "bob", "alice", "nobody")]
    profiles = data(api.call(GET_USERS, {"ids": ids}), "getUsers")
    assert [p and p["displayName"] for p in profiles] == [None, "Bob", "Alice", None]
    # carol shares no room: she sees only herself, and nobody's existence is revealed.
    seen_by_carol = data(api.call(GET_USERS, {"ids": ids}, user="carol"), "getUsers")
    assert [p and p["displayName"] for p in seen_by_carol] == ["Carol", None, None, None]


def test_a_ban_ends_profile_visibility_and_cognito_moderators_see_everyone(api):
    for user in ("alice", "bob", "carol"):
        name(api, user, user.title())
    room = create_room(api, owner="alice", members=("bob",))
    ban(api, room, "bob")
    ids = [api.sub_of("bob")]
    assert data(api.call(GET_USERS, {"ids": ids}), "getUsers") == [None]
    assert data(api.call(GET_USERS, {"ids": [api.sub_of("alice")]}, user="bob"), "getUsers") == [
        None
    ]
    everyone = data(
        api.call(GET_USERS, {"ids": ids}, user="carol", groups=["Moderator"]), "getUsers"
    )
    assert everyone[0]["displayName"] == "Bob"


@pytest.mark.parametrize(
    ("ids", "says"),
    [
        ([], "1 to 100 ids"),
        (["u"] * (GET_USERS_MAX_IDS + 1), "at most 100 ids"),
        (["x" * 129], "ids of 1 to 128 characters"),
    ],
)
def test_get_users_refuses_bad_id_lists(api, ids, says):
    kind, message = error(api.call(GET_USERS, {"ids": ids}))
    assert kind == "ValidationError"
    assert says in message


def test_a_page_of_50_messages_from_10_authors_resolves_authors_in_one_batch(api):
    authors = [f"user{n}" for n in range(10)]
    for user in authors:
        name(api, user, f"Name {user}")
    room = create_room(api, owner="alice", members=tuple(authors))
    for n in range(50):
        send(api, room, f"message {n}", user=authors[n % 10])
    invocations = []
    original = api.engine.data_sources["UsersLambda"].call
    api.engine.data_sources["UsersLambda"].call = lambda event: (
        invocations.append(event),
        original(event),
    )[1]
    page = data(api.call(PAGE, {"r": room, "limit": 50}), "listMessages")["items"]
    assert len(page) == 50
    assert all(m["author"]["displayName"] == f"Name {_user(api, authors, m)}" for m in page)
    assert len(invocations) == 1
    assert isinstance(invocations[0], list) and len(invocations[0]) == 50
    assert [e["source"]["messageId"] for e in invocations[0]] == [m["messageId"] for m in page]
    assert {e["info"]["fieldName"] for e in invocations[0]} == {"author"}


def _user(api, authors, message) -> str:
    return next(u for u in authors if api.sub_of(u) == message["authorId"])


def test_authors_without_a_profile_and_backends_resolve_to_null(api):
    room = create_room(api, owner="alice", members=("bob",))
    name(api, "alice", "Alice")
    send(api, room, "from alice")
    send(api, room, "from bob, who has no profile", user="bob")
    posted = api.call_iam(
        'mutation($r: ID!) { postSystemMessage(input: {roomId: $r, content: "sys", type: SYSTEM})'
        " { messageId } }",
        {"r": room},
    )
    data(posted, "postSystemMessage")
    page = data(api.call(PAGE, {"r": room}), "listMessages")["items"]
    by_author = {m["authorId"]: m["author"] for m in page}
    assert by_author[api.sub_of("alice")] == {"userId": api.sub_of("alice"), "displayName": "Alice"}
    assert by_author[api.sub_of("bob")] is None
    assert by_author["iam:backend"] is None


def test_members_resolve_their_profiles_in_one_batch(api):
    name(api, "alice", "Alice")
    name(api, "bob", "Bob")
    room = create_room(api, owner="alice", members=("bob", "carol"))
    members = data(api.call(MEMBERS, {"r": room}), "listMembers")["items"]
    names = {m["userId"]: m["user"] and m["user"]["displayName"] for m in members}
    assert names == {
        api.sub_of("alice"): "Alice",
        api.sub_of("bob"): "Bob",
        api.sub_of("carol"): None,
    }


def test_outsiders_get_no_authors_because_they_get_no_page(api):
    name(api, "alice", "Alice")
    room = create_room(api, owner="alice")
    send(api, room, "private")
    kind, _ = error(api.call(PAGE, {"r": room}, user="mallory"))
    assert kind == "Unauthorized"
