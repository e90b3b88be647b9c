"""updatePresence, getPresence and onPresenceChanged through the emulator."""

from __future__ import annotations

import time

import pytest

from tests.api.seed import data, error_type

UPDATE = """
mutation Update($status: PresenceStatus!, $customStatus: String) {
  updatePresence(status: $status, customStatus: $customStatus) {
    userId status customStatus lastSeen
  }
}
"""

GET = "query Get($ids: [ID!]!) { getPresence(userIds: $ids) { userId status customStatus } }"

FOLLOW = "subscription F($ids: [ID!]!) { onPresenceChanged(userIds: $ids) { userId status } }"


def test_update_presence_writes_the_callers_item_with_a_ttl(api):
    result = api.call(UPDATE, {"status": "BUSY", "customStatus": "in a meeting"}, user="bob")

    presence = data(result, "updatePresence")
    [item] = api.scan("presence")
    assert presence["userId"] == api.sub_of("bob")
    assert (presence["status"], presence["customStatus"]) == ("BUSY", "in a meeting")
    assert item["userId"] == api.sub_of("bob")
    assert 290 <= item["expiresAt"] - time.time() <= 310


def test_custom_status_longer_than_100_characters_is_refused(api):
    result = api.call(UPDATE, {"status": "ONLINE", "customStatus": "x" * 101})

    assert error_type(result) == "ValidationError"
    assert api.scan("presence") == []


def test_get_presence_returns_known_users_once_in_request_order(api):
    for user, status in (("bob", "ONLINE"), ("carol", "AWAY")):
        data(api.call(UPDATE, {"status": status}, user=user), "updatePresence")
    bob, carol = api.sub_of("bob"), api.sub_of("carol")

    result = api.call(GET, {"ids": [carol, "nobody", bob, carol]})

    assert data(result, "getPresence") == [
        {"userId": carol, "status": "AWAY", "customStatus": None},
        {"userId": bob, "status": "ONLINE", "customStatus": None},
    ]


def test_presence_past_its_ttl_reads_offline(api):
    api.dynamodb.put_item(
        TableName=api.table_names["presence"],
        Item={
            "userId": {"S": "gone"},
            "status": {"S": "ONLINE"},
            "lastSeen": {"S": "2020-01-01T00:00:00.000Z"},
            "expiresAt": {"N": str(int(time.time()) - 60)},
        },
    )

    assert data(api.call(GET, {"ids": ["gone"]}), "getPresence")[0]["status"] == "OFFLINE"


def test_get_presence_takes_at_most_100_ids(api):
    assert data(api.call(GET, {"ids": []}), "getPresence") == []
    assert error_type(api.call(GET, {"ids": [f"u{i}" for i in range(101)]})) == "ValidationError"
    assert data(api.call(GET, {"ids": [f"u{i}" for i in range(100)]}), "getPresence") == []


def test_followers_receive_changes_of_the_users_they_follow_only(api):
    followed = [api.sub_of(f"user{i}") for i in range(7)]
    subscription = api.subscribe(FOLLOW, {"ids": followed}, user="alice")

    data(api.call(UPDATE, {"status": "AWAY"}, user="user6"), "updatePresence")
    data(api.call(UPDATE, {"status": "ONLINE"}, user="stranger"), "updatePresence")
    data(api.call(UPDATE, {"status": "BUSY"}, user="user0"), "updatePresence")

    assert subscription.error is None
    assert [e["data"]["onPresenceChanged"] for e in subscription.events] == [
        {"userId": followed[6], "status": "AWAY"},
        {"userId": followed[0], "status": "BUSY"},
    ]


@pytest.mark.parametrize("count", [0, 101])
def test_following_needs_1_to_100_users(api, count):
    subscription = api.subscribe(FOLLOW, {"ids": [f"u{i}" for i in range(count)]})

    assert subscription.error is not None
    assert subscription.error["errorType"] == "ValidationError"
