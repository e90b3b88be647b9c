"""Who the notifier pushes to, against moto's DynamoDB for presence."""

from __future__ import annotations

import boto3
from moto import mock_aws

from functions.notifier.push import payload
from functions.notifier.recipients import offline, wanting_push

DETAIL = {"roomId": "r", "messageId": "m", "authorId": "author", "content": "hi", "mentions": []}


def test_author_banned_and_muted_members_are_left_out_unless_mentioned():
    members = [
        {"userId": "author"},
        {"userId": "plain"},
        {"userId": "banned", "isBanned": True},
        {"userId": "quiet", "notificationsMuted": True},
        {"userId": "silenced", "isMuted": True},  # a moderator's mute: still notified
    ]
    assert wanting_push(members, DETAIL) == ["plain", "silenced"]
    mentioned = {**DETAIL, "mentions": ["quiet", "banned"]}
    assert wanting_push(members, mentioned) == ["plain", "quiet", "silenced"]


@mock_aws
def test_offline_means_no_live_online_or_busy_presence():
    dynamodb = boto3.client("dynamodb", region_name="eu-west-1")
    dynamodb.create_table(
        TableName="presence",
        KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    now = 1_000_000
    for user, status, expires in (
        ("online", "ONLINE", now + 60),
        ("busy", "BUSY", now + 60),
        ("away", "AWAY", now + 60),
        ("expired", "ONLINE", now - 1),
        ("off", "OFFLINE", now + 60),
    ):
        dynamodb.put_item(
            TableName="presence",
            Item={"userId": {"S": user}, "status": {"S": status}, "expiresAt": {"N": str(expires)}},
        )
    users = ["online", "busy", "away", "expired", "off", "never"] + [f"u{i}" for i in range(150)]
    client = boto3.resource("dynamodb", region_name="eu-west-1").meta.client  # as the Lambda
    assert offline(client, "presence", users, now=now) == [
        "away",
        "expired",
        "off",
        "never",
        *(f"u{i}" for i in range(150)),
    ]


def test_the_payload_has_one_body_per_platform_and_a_bounded_preview():
    import json

    body = json.loads(payload({**DETAIL, "content": "x" * 500}, mentioned=True))
    assert set(body) == {"default", "APNS", "APNS_SANDBOX", "GCM"}
    fcm = json.loads(body["GCM"])
    assert fcm["notification"]["title"] == "You were mentioned"
    assert len(fcm["notification"]["body"]) == 120 and fcm["data"]["messageId"] == "m"
