"""Push targets against moto (DynamoDB and SNS): every device write keeps the user's targets
item in step, and a MessageSent reaches exactly the offline members' endpoints with one
BatchGetItem of targets per 100 of them and no Query of devices, whatever the room's size."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

import chatspec
from chatspec.push import APPLICATIONS_ENV, MAX_DEVICES_PER_USER
from emulator import moto_internals
from emulator.tables import create_table
from functions.common.errors import LimitExceeded
from functions.common.identity import Caller
from functions.common.push_targets import TARGETS_ID, backfill, targets
from functions.devices.register import register_device, unregister_device
from functions.notifier.notify import notify

REGION = "eu-west-1"
PREFIX = "push"


class World:
    def __init__(self) -> None:
        dynamodb = boto3.resource("dynamodb", region_name=REGION)
        self.tables = {
            t.name: dynamodb.Table(create_table(dynamodb.meta.client, t, prefix=PREFIX))
            for t in chatspec.TABLES
            if t.name in ("devices", "room_members", "presence")
        }
        self.devices = self.tables["devices"]
        self.sns = boto3.client("sns", region_name=REGION)
        application = self.sns.create_platform_application(
            Name="fcm", Platform="GCM", Attributes={"PlatformCredential": "key"}
        )["PlatformApplicationArn"]
        self.applications = {"FCM": application}
        self.calls: Counter[str] = Counter()
        client = self.devices.meta.client
        client.meta.events.register(
            "before-call.dynamodb.*",
            lambda model, **_: self.calls.update([model.name]),
        )

    def register(self, user: str, token: str) -> dict[str, Any]:
        return register_device(self.devices, self.sns, Caller(user, frozenset()), "FCM", token)

    def notify(self, room: str) -> Any:
        """The notifier on `author`'s message in `room`."""
        return notify(
            members=self.tables["room_members"],
            presence_table=self.tables["presence"].name,
            devices=self.devices,
            sns=self.sns,
            detail={"roomId": room, "messageId": "m", "authorId": "author", "content": "hi"},
        )

    def targets_item(self, user: str) -> dict[str, Any] | None:
        return self.devices.get_item(Key={"userId": user, "deviceId": TARGETS_ID}).get("Item")

    def endpoints(self, user: str) -> set[str]:
        return set(targets(self.devices, [user]).get(user, {}).values())

    def device_endpoints(self, user: str) -> set[str]:
        items = self.devices.query(
            KeyConditionExpression="userId = :u", ExpressionAttributeValues={":u": user}
        )["Items"]
        return {i["endpointArn"] for i in items if "endpointArn" in i}


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    moto_internals.install()
    with mock_aws():
        made = World()
        monkeypatch.setenv(APPLICATIONS_ENV, json.dumps(made.applications))
        yield made


def test_registering_and_unregistering_keep_the_targets_item_in_step(world):
    world.register("ann", "token-1")
    world.register("ann", "token-2")
    assert (
        world.endpoints("ann") == world.device_endpoints("ann") and len(world.endpoints("ann")) == 2
    )
    unregister_device(world.devices, world.sns, Caller("ann", frozenset()), "FCM", "token-1")
    assert (
        world.endpoints("ann") == world.device_endpoints("ann") and len(world.endpoints("ann")) == 1
    )


def test_a_token_that_changes_hands_leaves_the_old_owners_targets(world):
    world.register("ann", "shared-phone")
    world.register("bob", "shared-phone")
    assert world.endpoints("ann") == set() and world.device_endpoints("ann") == set()
    assert world.endpoints("bob") == world.device_endpoints("bob") != set()


def test_the_targets_item_does_not_count_as_a_device(world):
    for n in range(MAX_DEVICES_PER_USER):
        world.register("ann", f"token-{n}")
    assert world.targets_item("ann") is not None
    with pytest.raises(LimitExceeded):
        world.register("ann", "one-too-many")
    assert len(world.endpoints("ann")) == MAX_DEVICES_PER_USER


def _member(world: World, room: str, user: str) -> None:
    world.tables["room_members"].put_item(Item={"roomId": room, "userId": user, "role": "MEMBER"})


def test_a_large_room_costs_a_batch_per_hundred_offline_members_not_a_query_each(world):
    members = [f"user-{n:03d}" for n in range(250)]
    for user in ["author", *members]:
        _member(world, "big", user)
    with_devices = {"user-007", "user-123", "user-249"}
    for user in sorted(with_devices):
        world.register(user, f"token-of-{user}")
    online = world.tables["presence"]
    online.put_item(Item={"userId": "user-123", "status": "ONLINE", "expiresAt": 4_102_444_800})
    expected = world.endpoints("user-007") | world.endpoints("user-249")
    world.calls.clear()

    outcome = world.notify("big")

    assert set(outcome.sent) == expected and len(outcome.sent) == 2  # not the online user
    # 250 candidates: 3 BatchGetItem of presence; 249 offline: 3 BatchGetItem of targets.
    assert world.calls["BatchGetItem"] == 6
    assert world.calls["Query"] == 1  # the room's memberships, one page; no devices Query


def test_an_endpoint_sns_disabled_goes_from_the_device_and_the_targets(world):
    _member(world, "r", "author")
    _member(world, "r", "ann")
    world.register("ann", "stale")
    [endpoint] = world.endpoints("ann")
    world.sns.set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "false"})
    outcome = world.notify("r")
    assert outcome.removed == [endpoint] and outcome.sent == []
    assert world.endpoints("ann") == set() and world.device_endpoints("ann") == set()


def test_backfill_writes_the_targets_of_devices_from_before_them_and_is_idempotent(world):
    world.register("ann", "kept")
    world.register("bob", "legacy")
    legacy = world.device_endpoints("bob")
    world.devices.delete_item(Key={"userId": "bob", "deviceId": TARGETS_ID})  # as before
    assert world.endpoints("bob") == set()
    assert backfill(world.devices) == 2
    assert world.endpoints("bob") == legacy and world.endpoints("ann") == world.device_endpoints(
        "ann"
    )
    assert backfill(world.devices) == 2
    assert world.endpoints("bob") == legacy


class _StaleScan:
    """The devices table as a Scan page read earlier shows it."""

    def __init__(self, table: Any, page: dict[str, Any]) -> None:
        self.name, self.meta, self._page = table.name, table.meta, page

    def scan(self, **_: Any) -> dict[str, Any]:
        return self._page


def test_backfill_does_not_give_a_phone_back_to_its_former_owner(world):
    world.register("ann", "handed-on")
    page = world.devices.scan(FilterExpression="attribute_exists(endpointArn)")
    # ... that was the backfill's Scan; now the phone changes hands before its writes.
    world.register("bob", "handed-on")
    assert backfill(_StaleScan(world.devices, page)) == 0  # ann's device is gone: skipped
    assert world.endpoints("ann") == set()
    assert world.endpoints("bob") == world.device_endpoints("bob") != set()


def test_a_transaction_conflict_on_the_targets_item_is_retried(world, monkeypatch):
    from botocore.exceptions import ClientError

    client = world.devices.meta.client
    real = client.transact_write_items
    attempts: list[int] = []

    def conflicting_once(**kwargs: Any) -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
                    "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}],
                },
                "TransactWriteItems",
            )
        return real(**kwargs)

    monkeypatch.setattr(client, "transact_write_items", conflicting_once)
    world.register("ann", "contended")
    assert len(attempts) == 2
    assert world.endpoints("ann") == world.device_endpoints("ann") != set()
