"""Polls through the emulator: createPoll validated, one vote per member changeable until
closed, results on the message, updates on onMessageUpdated, closed polls refuse votes,
and the message item keeps one count per option whatever the number of voters."""

from __future__ import annotations

import pytest

from tests.api.seed import create_room, data, error, mute, stored_message

POLL_FIELDS = """roomId messageId type content version
  poll { question allowMultiple closed closesAt voterCount options { optionId text votes } }"""
CREATE = (
    f"""mutation($input: CreatePollInput!) {{ createPoll(input: $input) {{ {POLL_FIELDS} }} }}"""
)
VOTE = f"""mutation($r: ID!, $m: ID!, $o: [ID!]!) {{
  votePoll(roomId: $r, messageId: $m, optionIds: $o) {{ {POLL_FIELDS} }} }}"""
CLOSE = (
    f"""mutation($r: ID!, $m: ID!) {{ closePoll(roomId: $r, messageId: $m) {{ {POLL_FIELDS} }} }}"""
)
UPDATED = """subscription($r: ID!) {
  onMessageUpdated(roomId: $r) { messageId version poll { voterCount options { votes } } } }"""
ADDED = "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId type } }"


def create(api, room, user="alice", **fields):
    poll = {"roomId": room, "question": "Lunch?", "options": ["pizza", "sushi", "salad"]}
    return api.call(CREATE, {"input": {**poll, **fields}}, user=user)


def vote(api, room, message, options, user):
    return api.call(VOTE, {"r": room, "m": message, "o": options}, user=user)


def votes(poll: dict) -> dict[str, int]:
    return {o["text"]: o["votes"] for o in poll["poll"]["options"]}


def test_members_vote_once_and_may_change_their_vote(api):
    room = create_room(api, members=("bob", "carol"))
    added = api.subscribe(ADDED, {"r": room}, user="carol")
    updated = api.subscribe(UPDATED, {"r": room}, user="carol")
    poll = data(create(api, room), "createPoll")
    message = poll["messageId"]

    assert poll["type"] == "POLL" and poll["content"] == "Lunch?"
    assert [o["optionId"] for o in poll["poll"]["options"]] == ["o1", "o2", "o3"]
    assert added.events[0]["data"]["onMessageAdded"] == {"messageId": message, "type": "POLL"}

    data(vote(api, room, message, ["o1"], "bob"), "votePoll")
    data(vote(api, room, message, ["o1"], "carol"), "votePoll")
    changed = data(vote(api, room, message, ["o2"], "bob"), "votePoll")
    again = data(vote(api, room, message, ["o2"], "bob"), "votePoll")

    assert votes(changed) == {"pizza": 1, "sushi": 1, "salad": 0}
    assert changed["poll"]["voterCount"] == 2
    assert votes(again) == votes(changed), "the same vote twice counts once"
    assert [e["data"]["onMessageUpdated"]["poll"]["voterCount"] for e in updated.events] == [
        1,
        2,
        2,
        2,
    ]
    versions = [e["data"]["onMessageUpdated"]["version"] for e in updated.events]
    assert versions == sorted(versions) and len(set(versions)) == 4
    assert len([v for v in api.scan("poll_votes")]) == 2


def test_a_single_choice_poll_refuses_several_options_and_unknown_ones(api):
    room = create_room(api, members=("bob",))
    message = data(create(api, room), "createPoll")["messageId"]
    assert error(vote(api, room, message, ["o1", "o2"], "bob")) == (
        "ValidationError",
        f"poll {message} takes one option per voter",
    )
    assert error(vote(api, room, message, ["o9"], "bob"))[0] == "ValidationError"
    multiple = data(create(api, room, allowMultiple=True), "createPoll")["messageId"]
    both = data(vote(api, room, multiple, ["o1", "o3"], "bob"), "votePoll")
    assert votes(both) == {"pizza": 1, "sushi": 0, "salad": 1}
    assert both["poll"]["voterCount"] == 1


def test_a_closed_poll_refuses_votes(api):
    room = create_room(api, members=("bob", "carol"))
    message = data(create(api, room, user="bob"), "createPoll")["messageId"]
    data(vote(api, room, message, ["o3"], "carol"), "votePoll")

    assert error(api.call(CLOSE, {"r": room, "m": message}, user="carol"))[0] == "Unauthorized"
    closed = data(api.call(CLOSE, {"r": room, "m": message}, user="bob"), "closePoll")

    assert closed["poll"]["closed"] is True and votes(closed)["salad"] == 1
    error_type, text = error(vote(api, room, message, ["o1"], "carol"))
    assert error_type == "Conflict" and "closed" in text
    assert error(api.call(CLOSE, {"r": room, "m": message}))[0] == "Conflict"


def test_muted_members_do_not_vote(api):
    room = create_room(api, members=("bob",))
    message = data(create(api, room), "createPoll")["messageId"]
    mute(api, room, "bob")
    assert error(vote(api, room, message, ["o1"], "bob"))[0] == "Unauthorized"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"options": ["only"]}, "a poll takes 2 to 10 options, got 1"),
        ({"options": [f"o{n}" for n in range(11)]}, "a poll takes 2 to 10 options, got 11"),
        ({"options": ["same", " same "]}, "poll options must differ"),
        ({"options": ["x" * 101, "y"]}, "at most 100 characters, got 101"),
        ({"options": ["a\nb", "c"]}, "poll options must hold visible characters"),
        ({"question": "q" * 301}, "question must be at most 300 characters"),
        ({"question": "   "}, "question is blank"),
        ({"closesAt": "2001-01-01T00:00:00.000Z"}, "closesAt must lie in the future"),
    ],
)
def test_bad_polls_are_refused_and_nothing_is_written(api, fields, message):
    room = create_room(api)
    error_type, text = error(create(api, room, **fields))
    assert error_type == "ValidationError" and message in text
    assert api.scan("messages") == []


def test_a_poll_is_not_a_message_type_of_send_message(api):
    room = create_room(api)
    result = api.call(
        'mutation($r: ID!) { sendMessage(input: {roomId: $r, content: "x", type: POLL})'
        " { messageId } }",
        {"r": room},
    )
    assert error(result) == ("ValidationError", "a POLL is created with createPoll")


def test_votes_never_grow_the_message_item(api):
    voters = tuple(f"voter{n}" for n in range(30))
    room = create_room(api, members=voters)
    message = data(create(api, room), "createPoll")["messageId"]
    for n, user in enumerate(voters[:1]):
        data(vote(api, room, message, [f"o{n % 3 + 1}"], user), "votePoll")
    one_vote = stored_message(api, room, message)
    for n, user in enumerate(voters[1:], start=1):
        data(vote(api, room, message, [f"o{n % 3 + 1}"], user), "votePoll")
    all_votes = stored_message(api, room, message)

    assert set(all_votes) == set(one_vote), "no attribute per voter"
    assert all_votes["pollCounts"] == {"o1": 10, "o2": 10, "o3": 10}
    assert all_votes["pollVoters"] == 30
    assert len(api.scan("poll_votes")) == 30
