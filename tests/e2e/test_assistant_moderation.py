"""The assistant and the toxicity checker end to end: messages sent through the real
emulator reach the local bus (messages stream -> Pipe -> bus), whose rules invoke the
artifact Lambdas, which call the local Bedrock / Comprehend stand-ins
(`emulator.ai_standins`) and answer through the API with SigV4 (postSystemMessage,
hideMessage), as deployed.

Room settings are set on the room item directly (the `settings` map), as updateRoomSettings
would store them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import boto3
import pytest
from botocore.config import Config

from chatspec.assistant import CLIENT_MESSAGE_ID_PREFIX
from emulator.ai_standins import STANDIN_MARK
from emulator.authentication import EMULATOR_CREDENTIALS
from functions.assistant import budget
from stacksettings.settings import load_settings
from tests.e2e.api_calls import Api, ensure_users, unique
from tests.e2e.test_events_bus import bus_events, delivered

pytestmark = pytest.mark.e2e
WAIT_SECONDS = 60

LIST = """query($roomId: ID!) { listMessages(roomId: $roomId, limit: 50) {
  items { messageId authorId content type replyTo clientMessageId hiddenAt } } }"""
REPORTS = """query($roomId: ID!) { listReports(roomId: $roomId) {
  items { reportId messageId source reason toxicity messageContent status } } }"""
REPORT = """mutation($roomId: ID!, $messageId: ID!) {
  reportMessage(roomId: $roomId, messageId: $messageId, reason: "spam") { reportId } }"""
LOG = """query($roomId: ID!) { moderationLog(roomId: $roomId) { items { action actorId } } }"""


def usage(outputs: dict[str, Any]) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id=EMULATOR_CREDENTIALS.access_key,
        aws_secret_access_key=EMULATOR_CREDENTIALS.secret_key,
        config=Config(account_id_endpoint_mode="disabled"),
    )


def set_room_settings(outputs: dict[str, Any], room_id: str, **settings: Any) -> None:
    dynamodb = usage(outputs)
    values = {k: {"BOOL": v} if isinstance(v, bool) else {"S": v} for k, v in settings.items()}
    dynamodb.update_item(
        TableName=outputs["roomsTableName"],
        Key={"roomId": {"S": room_id}},
        UpdateExpression="SET #settings = :settings",
        ExpressionAttributeNames={"#settings": "settings"},
        ExpressionAttributeValues={":settings": {"M": values}},
    )


async def messages(api: Api, room_id: str) -> list[dict[str, Any]]:
    data = await api.call("alice", LIST, {"roomId": room_id})
    return list(reversed(data["listMessages"]["items"]))


async def replies_to(api: Api, room_id: str, message_id: str, *, at_least: int = 1) -> list:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        found = [m for m in await messages(api, room_id) if m["replyTo"] == message_id]
        if len(found) >= at_least or loop.time() > deadline:
            return found
        await asyncio.sleep(0.3)


async def sent_event(outputs: dict[str, Any], message_id: str) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        for event in await bus_events(outputs):
            if event["detail-type"] == "MessageSent" and event["detail"]["messageId"] == message_id:
                return event
        await asyncio.sleep(0.2)
    raise AssertionError(f"no MessageSent for {message_id} on the bus")


async def test_the_assistant_answers_a_question_and_a_summary_in_an_enabled_room(outputs, users):
    api = Api(outputs, users)
    room_id = (await api.create_room("alice", members=("bob",)))["roomId"]
    set_room_settings(outputs, room_id, enableAssistant=True)
    await api.send("bob", room_id, "the release is on friday")
    await api.send("alice", room_id, "and the demo on thursday")
    question = await api.send("bob", room_id, "@assistant when is the release?")
    summary = await api.send("alice", room_id, "@assistant summarize 10")

    [answer] = await replies_to(api, room_id, question["messageId"])
    [summarized] = await replies_to(api, room_id, summary["messageId"])

    assert answer["type"] == "AI_RESPONSE" and answer["content"].startswith(STANDIN_MARK)
    assert "when is the release?" in answer["content"] and "2 messages" in answer["content"]
    assert answer["authorId"].startswith("iam:")
    assert answer["clientMessageId"] == f"{CLIENT_MESSAGE_ID_PREFIX}{question['messageId']}"
    assert summarized["type"] == "AI_RESPONSE"
    assert "Summary of 3 messages" in summarized["content"]


async def test_the_assistant_stays_silent_in_a_room_that_did_not_enable_it(outputs, users):
    api = Api(outputs, users)
    room_id = (await api.create_room("alice", members=("bob",)))["roomId"]
    question = await api.send("bob", room_id, "@assistant are you there?")
    event = await sent_event(outputs, question["messageId"])

    assert await delivered(outputs, "assistant-addressed", event["id"])
    assert [m for m in await messages(api, room_id) if m["replyTo"]] == []


async def test_a_replayed_trigger_gives_one_answer(outputs, users):
    api = Api(outputs, users)
    room_id = (await api.create_room("alice", members=("bob",)))["roomId"]
    set_room_settings(outputs, room_id, enableAssistant=True)
    question = await api.send("bob", room_id, "@assistant hello?")
    [answer] = await replies_to(api, room_id, question["messageId"])
    event = await sent_event(outputs, question["messageId"])

    assert "assistant-addressed" in await redeliver(outputs, event)

    assert [m["messageId"] for m in await replies_to(api, room_id, question["messageId"])] == [
        answer["messageId"]
    ]


async def redeliver(outputs: dict[str, Any], event: dict[str, Any]) -> list[str]:
    """The same event delivered again by the local bus (`POST /_emulator/events`), as a
    retry or an archive replay delivers it; returns once its rules ran it."""
    body = {"replay": event}
    async with (
        aiohttp.ClientSession() as session,
        session.post(outputs["eventsUrl"], json=body) as response,
    ):
        assert response.status == 200, await response.text()
        replayed = await response.json()
    assert replayed["idle"] and replayed["eventId"] == event["id"]
    return replayed["rules"]


async def test_the_budget_refuses_politely(outputs, users):
    api = Api(outputs, users)
    asker = unique("asker")
    ensure_users(users, asker)
    room_id = (await api.create_room("alice", members=(asker,)))["roomId"]
    set_room_settings(outputs, room_id, enableAssistant=True)
    first = await api.send(asker, room_id, "@assistant first question?")
    [answered] = await replies_to(api, room_id, first["messageId"])
    used_up = load_settings("dev").assistant.room_daily_tokens - 100
    today = datetime.now(UTC)
    for day in (today, today + timedelta(hours=1)):  # whichever UTC day the Lambda sees
        usage(outputs).update_item(
            TableName=outputs["assistantUsageTableName"],
            Key={"usageKey": {"S": budget.room_day_key(room_id, day)}},
            UpdateExpression="SET tokens = :used",
            ExpressionAttributeValues={":used": {"N": str(used_up)}},
        )
    second = await api.send(asker, room_id, "@assistant second question?")

    [refused] = await replies_to(api, room_id, second["messageId"])

    assert answered["type"] == "AI_RESPONSE"
    assert refused["type"] == "SYSTEM" and "budget for today" in refused["content"]


async def test_a_throttled_model_ends_in_a_visible_message(outputs, users):
    api = Api(outputs, users)
    room_id = (await api.create_room("alice", members=("bob",)))["roomId"]
    set_room_settings(outputs, room_id, enableAssistant=True)
    question = await api.send("bob", room_id, "@assistant [[throttle]] please")

    [answer] = await replies_to(api, room_id, question["messageId"])

    assert answer["type"] == "SYSTEM" and "busy" in answer["content"]


async def test_a_moderator_sees_a_report_and_a_flagged_message(outputs, users):
    api = Api(outputs, users)
    room_id = (await api.create_room("alice", members=("bob", "carol")))["roomId"]
    set_room_settings(outputs, room_id, moderationLevel="FLAG")
    rude = await api.send("carol", room_id, "you are an idiot")
    spam = await api.send("carol", room_id, "buy my watches")
    await api.call("bob", REPORT, {"roomId": room_id, "messageId": spam["messageId"]})

    reports = await wait_reports(api, room_id, 2)

    by_source = {r["source"]: r for r in reports}
    assert by_source["AUTOMATIC"]["messageId"] == rude["messageId"]
    assert by_source["AUTOMATIC"]["toxicity"] >= 0.7
    assert by_source["MEMBER"]["messageId"] == spam["messageId"]
    assert {m["messageId"]: m["content"] for m in await messages(api, room_id)}[
        rude["messageId"]
    ] == "you are an idiot"  # FLAG marks, it does not hide


async def test_hide_takes_toxic_content_away_from_members(outputs, users):
    api = Api(outputs, users)
    room_id = (await api.create_room("alice", members=("bob", "carol")))["roomId"]
    set_room_settings(outputs, room_id, moderationLevel="HIDE")
    rude = await api.send("carol", room_id, "what a loser")
    fine = await api.send("carol", room_id, "have a nice day")

    [report] = await wait_reports(api, room_id, 1)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        seen = {m["messageId"]: m for m in await messages(api, room_id)}
        if seen[rude["messageId"]]["hiddenAt"]:
            break
        await asyncio.sleep(0.3)

    assert seen[rude["messageId"]]["content"] is None and seen[rude["messageId"]]["hiddenAt"]
    assert seen[fine["messageId"]]["content"] == "have a nice day"
    assert report["messageContent"] == "what a loser"
    log = (await api.call("alice", LOG, {"roomId": room_id}))["moderationLog"]["items"]
    assert [entry["action"] for entry in log] == ["HIDE_MESSAGE"]
    assert log[0]["actorId"].startswith("iam:")


async def wait_reports(api: Api, room_id: str, count: int) -> list[dict[str, Any]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        reports = (await api.call("alice", REPORTS, {"roomId": room_id}))["listReports"]["items"]
        if len(reports) >= count or loop.time() > deadline:
            return reports
        await asyncio.sleep(0.3)
