"""The rooms Lambda against moto, driven with the event AppSync sends a direct Lambda resolver."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

import chatspec
from emulator.tables import create_table
from emulator.testing import KEEP_BOTO3_SESSION
from functions.common import errors
from functions.rooms import delete_room as delete_room_module
from functions.rooms import handler as rooms_handler
from functions.rooms.tables import IDEMPOTENCY_ENV, MESSAGES_ENV, ROOM_MEMBERS_ENV, ROOMS_ENV
from tests.support.appsync_events import FakeContext, appsync_event, resolved

PREFIX = "test"


@pytest.fixture
def dynamodb(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("dynamodb")
        for table in chatspec.TABLES:
            name = create_table(client, table, prefix=PREFIX)
            monkeypatch.setenv(table.env_var, name)
        rooms_handler._tables_named.cache_clear()
        yield boto3.resource("dynamodb")
        rooms_handler._tables_named.cache_clear()


def table(dynamodb, logical: str):
    return dynamodb.Table(chatspec.table(logical).deployed_name(PREFIX))


def invoke(field: str, arguments: dict, sub: str | None = "alice", groups=None):
    event = appsync_event(
        field, arguments, sub, groups, selection_graphql="{ items { role } nextToken }"
    )
    return resolved(rooms_handler.handler(event, FakeContext("rooms")))


def put_room(dynamodb, room_id: str, message_count: int = 0, **extra) -> None:
    item = {
        "roomId": room_id,
        "name": f"room {room_id}",
        "type": "GROUP",
        "createdBy": "alice",
        "createdAt": "2026-11-01T00:00:00Z",
        "memberCount": 1,
        "maxMembers": 1000,
        "messageCount": message_count,
        **extra,
    }
    table(dynamodb, "rooms").put_item(Item=item)


def put_member(dynamodb, room_id: str, user_id: str, joined_at: str, **extra) -> None:
    item = {
        "roomId": room_id,
        "userId": user_id,
        "role": "MEMBER",
        "joinedAt": joined_at,
        "isMuted": False,
        "isBanned": False,
        "lastReadSeq": 0,
        "roomType": "GROUP",
        **extra,
    }
    table(dynamodb, "room_members").put_item(Item=item)


def put_messages(dynamodb, room_id: str, count: int) -> None:
    with table(dynamodb, "messages").batch_writer() as batch:
        for n in range(count):
            batch.put_item(Item={"roomId": room_id, "messageId": f"m{n:05d}", "content": "hi"})


def count_calls(dynamodb) -> list[str]:
    calls: list[str] = []
    client = rooms_handler.tables().dynamodb.meta.client
    client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    return calls


# --- the dispatch table and configuration agree with the specification ----------------


def test_actions_are_exactly_the_fields_the_specification_wires_to_the_rooms_lambda():
    assert set(rooms_handler.ACTIONS) == set(chatspec.lambda_function("rooms").actions)


def test_table_environment_variables_are_the_specified_ones():
    assert chatspec.table("rooms").env_var == ROOMS_ENV
    assert chatspec.table("room_members").env_var == ROOM_MEMBERS_ENV
    assert chatspec.table("messages").env_var == MESSAGES_ENV
    assert chatspec.table("idempotency").env_var == IDEMPOTENCY_ENV


# --- myRooms ----------------------------------------------------------------------------


def test_my_rooms_joins_role_read_state_and_unread_count(dynamodb):
    put_room(dynamodb, "r1", message_count=10)
    put_room(dynamodb, "r2", message_count=2)
    put_member(
        dynamodb,
        "r1",
        "alice",
        "2026-11-02T00:00:00Z",
        role="ADMIN",
        lastReadSeq=3,
        lastReadAt="2026-11-03T00:00:00Z",
        isMuted=True,
    )
    put_member(dynamodb, "r2", "alice", "2026-11-01T00:00:00Z", role="OWNER", lastReadSeq=5)
    put_member(dynamodb, "r2", "bob", "2026-11-01T00:00:00Z")

    page = invoke("Query.myRooms", {})

    assert page["nextToken"] is None
    by_room = {item["room"]["roomId"]: item for item in page["items"]}
    assert set(by_room) == {"r1", "r2"}
    assert by_room["r1"]["role"] == "ADMIN"
    assert by_room["r1"]["unreadCount"] == 7
    assert by_room["r1"]["isMuted"] is True
    assert by_room["r1"]["lastReadAt"] == "2026-11-03T00:00:00Z"
    assert by_room["r1"]["joinedAt"] == "2026-11-02T00:00:00Z"
    assert by_room["r1"]["room"]["messageCount"] == 10
    assert by_room["r2"]["role"] == "OWNER"
    assert by_room["r2"]["unreadCount"] == 0, "unread never goes below zero"
    assert [item["room"]["roomId"] for item in page["items"]] == ["r1", "r2"], "newest first"


def test_my_rooms_leaves_out_banned_memberships_and_rooms_already_deleted(dynamodb):
    put_room(dynamodb, "kept")
    put_room(dynamodb, "banned-here")
    put_member(dynamodb, "kept", "alice", "2026-11-01T00:00:00Z")
    put_member(dynamodb, "banned-here", "alice", "2026-11-02T00:00:00Z", isBanned=True)
    put_member(dynamodb, "gone", "alice", "2026-11-03T00:00:00Z")

    page = invoke("Query.myRooms", {})

    assert [item["room"]["roomId"] for item in page["items"]] == ["kept"]


def test_my_rooms_costs_two_round_trips_per_page_whatever_the_number_of_rooms(dynamodb):
    for n in range(60):
        put_room(dynamodb, f"r{n:03d}")
        put_member(dynamodb, f"r{n:03d}", "alice", f"2026-11-01T00:00:{n:02d}Z")
    calls = count_calls(dynamodb)

    page = invoke("Query.myRooms", {"limit": 100})

    assert len(page["items"]) == 60
    assert calls == ["Query", "BatchGetItem"]


def test_my_rooms_pages_cover_every_room_once(dynamodb):
    for n in range(5):
        put_room(dynamodb, f"r{n}")
        put_member(dynamodb, f"r{n}", "alice", f"2026-11-0{n + 1}T00:00:00Z")
    seen, token, pages = [], None, 0
    while True:
        page = invoke("Query.myRooms", {"limit": 2, "nextToken": token})
        seen += [item["room"]["roomId"] for item in page["items"]]
        pages += 1
        token = page["nextToken"]
        if token is None:
            break
        assert isinstance(token, str)
    assert seen == ["r4", "r3", "r2", "r1", "r0"]
    assert pages == 3


def test_my_rooms_retries_keys_dynamodb_leaves_unprocessed(dynamodb, monkeypatch):
    for n in range(4):
        put_room(dynamodb, f"r{n}")
        put_member(dynamodb, f"r{n}", "alice", f"2026-11-0{n + 1}T00:00:00Z")
    resource = rooms_handler.tables().dynamodb
    real_batch_get = resource.batch_get_item
    answered: list[int] = []

    def throttled_once(RequestItems):
        response = real_batch_get(RequestItems=RequestItems)
        if not answered:
            (name,) = RequestItems
            keys = RequestItems[name]["Keys"]
            kept = [room for room in response["Responses"][name] if room["roomId"] != "r0"]
            response["Responses"][name] = kept
            response["UnprocessedKeys"] = {name: {"Keys": [k for k in keys if k["roomId"] == "r0"]}}
        answered.append(len(RequestItems[next(iter(RequestItems))]["Keys"]))
        return response

    monkeypatch.setattr(resource, "batch_get_item", throttled_once)
    monkeypatch.setattr("functions.common.batch_get.time.sleep", lambda _seconds: None)

    page = invoke("Query.myRooms", {})

    assert sorted(item["room"]["roomId"] for item in page["items"]) == ["r0", "r1", "r2", "r3"]
    assert answered == [4, 1], "only the unprocessed key is asked for again"


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_my_rooms_refuses_a_limit_out_of_range(dynamodb, limit):
    with pytest.raises(errors.ValidationError, match="limit must be 1 to 100"):
        invoke("Query.myRooms", {"limit": limit})


@pytest.mark.parametrize("token", ["not base64 !!", "e30", "eyJ1c2VySWQiOiAxfQ"])
def test_my_rooms_refuses_a_malformed_next_token(dynamodb, token):
    with pytest.raises(errors.ValidationError, match="nextToken is malformed"):
        invoke("Query.myRooms", {"nextToken": token})


def test_my_rooms_refuses_a_token_from_another_users_listing(dynamodb):
    for n in range(3):
        put_room(dynamodb, f"r{n}")
        put_member(dynamodb, f"r{n}", "bob", f"2026-11-0{n + 1}T00:00:00Z")
    bobs_token = invoke("Query.myRooms", {"limit": 1}, sub="bob")["nextToken"]
    assert bobs_token

    with pytest.raises(errors.ValidationError, match="nextToken is malformed"):
        invoke("Query.myRooms", {"nextToken": bobs_token}, sub="alice")


def test_my_rooms_needs_a_cognito_user(dynamodb):
    with pytest.raises(errors.Unauthorized):
        invoke("Query.myRooms", {}, sub=None)


def test_errors_carry_the_api_error_type_as_class_name(dynamodb):
    with pytest.raises(errors.ChatError) as raised:
        invoke("Query.myRooms", {"limit": 500})
    assert type(raised.value).__name__ == "ValidationError"


# --- deleteRoom -------------------------------------------------------------------------


def populated_room(dynamodb, room_id: str = "doomed", messages: int = 60) -> None:
    put_room(dynamodb, room_id, message_count=messages)
    put_member(dynamodb, room_id, "alice", "2026-11-01T00:00:00Z", role="OWNER")
    put_member(dynamodb, room_id, "bob", "2026-11-01T00:00:01Z", role="ADMIN")
    put_member(dynamodb, room_id, "carol", "2026-11-01T00:00:02Z", isBanned=True)
    put_messages(dynamodb, room_id, messages)


def left_of(dynamodb, room_id: str) -> dict:
    from boto3.dynamodb.conditions import Key

    members = table(dynamodb, "room_members").query(
        KeyConditionExpression=Key("roomId").eq(room_id)
    )
    messages = table(dynamodb, "messages").query(KeyConditionExpression=Key("roomId").eq(room_id))
    room = table(dynamodb, "rooms").get_item(Key={"roomId": room_id}).get("Item")
    return {
        "room": room is not None,
        "members": sorted(m["userId"] for m in members["Items"]),
        "messages": messages["Count"],
    }


def decision(allowed: bool = True, why: dict | None = None) -> dict:
    """The access decision getCallerMembership hands the Lambda (`stash.access`)."""
    refusal = why or {"type": "Unauthorized", "message": "only the owner of doomed or an Admin"}
    return {"may": {"deleteRoom": allowed}, "why": {"deleteRoom": refusal}}


def delete(room_id: str, access: dict | None, sub: str = "alice") -> dict:
    event = appsync_event("Mutation.deleteRoom", {"roomId": room_id}, sub)
    if access is not None:
        event["stash"] = {"access": access}
    return rooms_handler.handler(event, FakeContext("rooms"))


def put_retry(dynamodb, room_id: str, key: str) -> None:
    table(dynamodb, "idempotency").put_item(
        Item={"idempotencyKey": key, "roomId": room_id, "messageId": "m1", "expiresAt": 2**40}
    )


def retries_of(dynamodb) -> list[str]:
    return sorted(i["idempotencyKey"] for i in table(dynamodb, "idempotency").scan()["Items"])


def test_an_allowed_deletion_removes_room_memberships_messages_and_retry_records(dynamodb):
    populated_room(dynamodb)
    populated_room(dynamodb, "other", messages=3)
    put_retry(dynamodb, "doomed", "doomed#i1#alice#c1")
    put_retry(dynamodb, "other", "other#i2#alice#c1")

    result = delete("doomed", decision())

    assert result == {"data": {"roomId": "doomed", "deleted": True}}
    assert left_of(dynamodb, "doomed") == {"room": False, "members": [], "messages": 0}
    assert left_of(dynamodb, "other") == {
        "room": True,
        "members": ["alice", "bob", "carol"],
        "messages": 3,
    }
    assert retries_of(dynamodb) == ["other#i2#alice#c1"]


def test_a_refusal_of_the_decision_comes_back_as_a_client_error_and_touches_nothing(dynamodb):
    populated_room(dynamodb, messages=2)

    result = delete("doomed", decision(False), sub="bob")

    assert result == {
        "error": {"type": "Unauthorized", "message": "only the owner of doomed or an Admin"}
    }
    assert left_of(dynamodb, "doomed") == {
        "room": True,
        "members": ["alice", "bob", "carol"],
        "messages": 2,
    }


def test_without_an_access_decision_nothing_is_deleted(dynamodb):
    populated_room(dynamodb, messages=2)

    result = delete("doomed", None)

    assert result["error"]["type"] == "Unauthorized"
    assert left_of(dynamodb, "doomed")["room"] is True


def test_a_blank_room_id_is_a_validation_error(dynamodb):
    assert delete("  ", decision())["error"]["type"] == "ValidationError"


def test_the_room_is_marked_first_and_removed_last(dynamodb, monkeypatch):
    populated_room(dynamodb, messages=60)
    real_delete_all = delete_room_module._delete_all

    def failing_on_messages(table_resource, keys, key_names):
        if "messageId" in key_names:
            raise RuntimeError("Lambda timed out")
        real_delete_all(table_resource, keys, key_names)

    monkeypatch.setattr(delete_room_module, "_delete_all", failing_on_messages)
    with pytest.raises(RuntimeError):
        delete("doomed", decision())

    room = table(dynamodb, "rooms").get_item(Key={"roomId": "doomed"})["Item"]
    assert room["deletingBy"] == "alice" and room["deletingAt"]
    assert left_of(dynamodb, "doomed") == {"room": True, "members": [], "messages": 60}
    monkeypatch.setattr(delete_room_module, "_delete_all", real_delete_all)

    result = delete("doomed", decision())

    assert result == {"data": {"roomId": "doomed", "deleted": True}}
    assert left_of(dynamodb, "doomed") == {"room": False, "members": [], "messages": 0}


def test_files_s3_refuses_to_delete_keep_their_records_and_the_room_resumable(dynamodb):
    import dataclasses

    from functions.common.access import Access
    from functions.common.identity import Caller
    from functions.common.uploads import FilesNotDeleted, checked_key
    from functions.rooms.tables import tables_from_env
    from tests.functions.test_filecheck_expired import RefusingS3

    populated_room(dynamodb)
    uploads = table(dynamodb, "uploads")
    for upload_id in ("kept", "gone"):
        uploads.put_item(Item={"uploadId": upload_id, "roomId": "doomed", "status": "READY"})
    tables = dataclasses.replace(
        tables_from_env(dynamodb), uploads=uploads, bucket="b", s3=RefusingS3(checked_key("kept"))
    )
    alice = Caller("alice", frozenset())
    with pytest.raises(FilesNotDeleted, match="kept"):
        delete_room_module.delete_room(tables, alice, "doomed", Access(decision()))
    assert [r["uploadId"] for r in uploads.scan()["Items"]] == ["kept"]
    assert left_of(dynamodb, "doomed")["room"] is True  # marked, not gone: deleteRoom resumes
    resumed = dataclasses.replace(tables, s3=RefusingS3("nothing"))
    assert delete_room_module.delete_room(resumed, alice, "doomed", Access(decision())) == {
        "roomId": "doomed",
        "deleted": True,
    }
    assert uploads.scan()["Items"] == [] and left_of(dynamodb, "doomed")["room"] is False
