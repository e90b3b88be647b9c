"""Push notifications end to end: an offline member's device receives a push, an online
member's does not, a member who muted the room gets only mentions, and an endpoint SNS
disabled (APNs/FCM reported the token invalid) is removed with its device.

The real emulator: devices registered with registerDevice, presence with updatePresence,
the preference with setRoomNotifications, messages with sendMessage; the MessageSent event
travels stream -> Pipe -> bus -> rule -> notifier Lambda -> SNS (moto) -> the push sink.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from typing import Any

import aiohttp
import boto3
import pytest

from emulator.launcher import REPO
from functions.common.push_targets import TARGETS_ID
from tests.e2e.api_calls import Api, ensure_users, unique
from tests.e2e.test_events_bus import bus_state

pytestmark = pytest.mark.e2e
WAIT_SECONDS = 60

REGISTER = """mutation($platform: PushPlatform!, $token: String!) {
  registerDevice(platform: $platform, token: $token) { deviceId platform createdAt } }"""
UNREGISTER = """mutation($platform: PushPlatform!, $token: String!) {
  unregisterDevice(platform: $platform, token: $token) }"""
MUTE = """mutation($roomId: ID!, $muted: Boolean!) {
  setRoomNotifications(roomId: $roomId, muted: $muted) { roomId muted } }"""
ONLINE = "mutation { updatePresence(status: ONLINE) { status } }"


async def pushes(outputs: dict[str, Any], token: str) -> list[dict[str, Any]]:
    url = outputs["pushSinkUrl"]
    async with aiohttp.ClientSession() as session, session.get(url, params={"token": token}) as r:
        assert r.status == 200
        return (await r.json())["deliveries"]


async def notified(outputs: dict[str, Any], message_id: str) -> None:
    """Wait until the notifier has run the MessageSent of `message_id` to its end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        state = await bus_state(outputs)
        sent = [
            e["id"]
            for e in state["events"]
            if e["detail-type"] == "MessageSent" and e["detail"]["messageId"] == message_id
        ]
        done = {d["eventId"] for d in state["deliveries"] if d["rule"] == "notify-message-sent"}
        failed = {d["eventId"] for d in state["failures"] if d["rule"] == "notify-message-sent"}
        assert not failed.intersection(sent), "the notifier failed"
        if sent and done.issuperset(sent):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"no notification run for message {message_id}")


def about(deliveries: list[dict[str, Any]], message_id: str) -> list[dict[str, Any]]:
    """The pushes of one message: FCM carries the ids under `data`, APNs beside `aps`."""
    return [
        d for d in deliveries if d["payload"].get("data", d["payload"])["messageId"] == message_id
    ]


def own_users(users: Any, *roles: str) -> dict[str, str]:
    """Users of one test alone, by role: who gets a push depends on presence, devices and
    mutes, which other tests leave behind on the shared demo users (bob online in the
    demo page, say)."""
    names = {role: unique(f"push-{role}") for role in roles}
    ensure_users(users, *names.values())
    return names


def token(name: str) -> str:
    return f"fcm-{name}-{uuid.uuid4().hex}"


def aws(outputs: dict[str, Any], service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="e2e",
        aws_secret_access_key="e2e",
    )


async def test_offline_member_gets_a_push_online_and_muted_members_do_not(outputs, users):
    api = Api(outputs, users)
    who = {"alice": "alice", **own_users(users, "bob", "carol", "dave")}
    room = await api.create_room("alice", members=(who["bob"], who["carol"], who["dave"]))
    room_id = room["roomId"]
    tokens = {role: token(role) for role in who}
    for role, value in tokens.items():
        device = (await api.call(who[role], REGISTER, {"platform": "FCM", "token": value}))[
            "registerDevice"
        ]
        assert device["platform"] == "FCM" and len(device["deviceId"]) == 64
    await api.call(who["carol"], ONLINE)
    muted = await api.call(who["dave"], MUTE, {"roomId": room_id, "muted": True})
    assert muted["setRoomNotifications"] == {"roomId": room_id, "muted": True}

    message = await api.send("alice", room_id, "hello, offline friends")
    await notified(outputs, message["messageId"])

    [push] = about(await pushes(outputs, tokens["bob"]), message["messageId"])
    assert push["platform"] == "GCM"
    assert push["payload"]["notification"]["body"] == "hello, offline friends"
    assert push["payload"]["data"]["roomId"] == room_id
    assert about(await pushes(outputs, tokens["carol"]), message["messageId"]) == []  # online
    assert about(await pushes(outputs, tokens["dave"]), message["messageId"]) == []  # muted
    assert about(await pushes(outputs, tokens["alice"]), message["messageId"]) == []  # author


async def test_a_mention_reaches_a_member_who_muted_the_room(outputs, users):
    """The rooms branch's sendMessage writes `mentions` on the message item; until it lands
    here, the message is written as that sendMessage writes it, straight to the table."""
    api = Api(outputs, users)
    member = own_users(users, "bob")["bob"]
    room_id = (await api.create_room("alice", members=(member,)))["roomId"]
    bob = token("bob")
    await api.call(member, REGISTER, {"platform": "FCM", "token": bob})
    await api.call(member, MUTE, {"roomId": room_id, "muted": True})
    plain = await api.send("alice", room_id, "nobody mentioned")
    message_id = f"01MENTION{uuid.uuid4().hex[:17].upper()}"
    aws(outputs, "dynamodb").put_item(
        TableName=outputs["messagesTableName"],
        Item={
            "roomId": {"S": room_id},
            "messageId": {"S": message_id},
            "authorId": {"S": api.sub("alice")},
            "content": {"S": "@bob look at this"},
            "type": {"S": "TEXT"},
            "createdAt": {"S": "2026-12-02T01:00:00.000Z"},
            "mentions": {"L": [{"S": api.sub(member)}]},
            "isEdited": {"BOOL": False},
            "isDeleted": {"BOOL": False},
            "version": {"N": "1"},
        },
    )
    await notified(outputs, plain["messageId"])
    await notified(outputs, message_id)
    delivered = await pushes(outputs, bob)
    assert about(delivered, plain["messageId"]) == []
    [mention] = about(delivered, message_id)
    assert mention["payload"]["notification"]["title"] == "You were mentioned"


async def test_an_endpoint_sns_disabled_is_removed_with_its_device(outputs, users):
    api = Api(outputs, users)
    member = own_users(users, "erin")["erin"]
    room_id = (await api.create_room("alice", members=(member,)))["roomId"]
    erin = token("erin")
    await api.call(member, REGISTER, {"platform": "FCM", "token": erin})
    first = await api.send("alice", room_id, "first")
    await notified(outputs, first["messageId"])
    [push] = about(await pushes(outputs, erin), first["messageId"])
    sns = aws(outputs, "sns")
    # what SNS does when FCM reports the registration token invalid
    sns.set_endpoint_attributes(EndpointArn=push["endpointArn"], Attributes={"Enabled": "false"})
    second = await api.send("alice", room_id, "second")
    await notified(outputs, second["messageId"])
    assert await pushes(outputs, erin) == []  # the endpoint is gone, with its messages
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.get_endpoint_attributes(EndpointArn=push["endpointArn"])
    devices = aws(outputs, "dynamodb").query(
        TableName=outputs["devicesTableName"],
        KeyConditionExpression="userId = :u",
        ExpressionAttributeValues={":u": {"S": api.sub(member)}},
    )["Items"]
    assert [d for d in devices if d.get("endpointArn", {}).get("S") == push["endpointArn"]] == []
    [kept_targets] = [d for d in devices if d["deviceId"]["S"] == TARGETS_ID]
    assert push["endpointArn"] not in [v.get("S") for v in kept_targets.values()]
    # registering the token again (the app got a fresh one) makes it live again
    await api.call(member, REGISTER, {"platform": "FCM", "token": erin})
    third = await api.send("alice", room_id, "third")
    await notified(outputs, third["messageId"])
    assert len(about(await pushes(outputs, erin), third["messageId"])) == 1


async def test_unregister_removes_the_device_and_a_token_changes_hands(outputs, users):
    api = Api(outputs, users)
    who = own_users(users, "bob", "dave")
    shared = token("shared")
    await api.call(who["bob"], REGISTER, {"platform": "APNS", "token": shared})
    await api.call(who["dave"], REGISTER, {"platform": "APNS", "token": shared})
    room_id = (await api.create_room("alice", members=(who["bob"], who["dave"])))["roomId"]
    message = await api.send("alice", room_id, "who holds the phone?")
    await notified(outputs, message["messageId"])
    # one endpoint per token, and only its latest owner receives: one push, not two
    assert len(about(await pushes(outputs, shared), message["messageId"])) == 1
    assert (await api.call(who["dave"], UNREGISTER, {"platform": "APNS", "token": shared}))[
        "unregisterDevice"
    ] is True
    assert (await api.call(who["dave"], UNREGISTER, {"platform": "APNS", "token": shared}))[
        "unregisterDevice"
    ] is False
    error_type, text = await api.refusal(who["bob"], REGISTER, {"platform": "FCM", "token": "a b"})
    assert error_type == "ValidationError" and "token" in text


async def test_the_backfill_gives_a_device_from_before_push_targets_its_pushes(
    emulator, outputs, users
):
    api = Api(outputs, users)
    member = own_users(users, "gil")["gil"]
    room_id = (await api.create_room("alice", members=(member,)))["roomId"]
    gil = token("gil")
    await api.call(member, REGISTER, {"platform": "FCM", "token": gil})
    # A device registered by an earlier version: its item, and no targets entry.
    aws(outputs, "dynamodb").delete_item(
        TableName=outputs["devicesTableName"],
        Key={"userId": {"S": api.sub(member)}, "deviceId": {"S": TARGETS_ID}},
    )
    before = await api.send("alice", room_id, "before the backfill")
    await notified(outputs, before["messageId"])
    assert about(await pushes(outputs, gil), before["messageId"]) == []

    ran = subprocess.run(
        [sys.executable, "-m", "pushops.backfill", "--outputs", str(emulator.outputs_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert "devices written into their users' push targets" in ran.stdout

    after = await api.send("alice", room_id, "after the backfill")
    await notified(outputs, after["messageId"])
    assert len(about(await pushes(outputs, gil), after["messageId"])) == 1
