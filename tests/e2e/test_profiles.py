"""Profiles through the real emulator: a sign-up confirmed in local Cognito runs the same
post-confirmation Lambda the stack deploys; demo users have profiles; authors and members
come with their profiles, over HTTP with gql and a Cognito ID token."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from pycognito.aws_srp import AWSSRP

from emulator.demo import DEMO_PASSWORD
from tests.e2e.api_calls import Api, unique
from tests.e2e.clients import cognito_client, execute

pytestmark = pytest.mark.e2e

ME = "{ me { userId displayName statusText createdAt } }"
UPDATE = """mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { userId displayName } }"""
PAGE = """query($r: ID!) {
  listMessages(roomId: $r, limit: 50) { items { authorId author { userId displayName } } }
}"""
MEMBERS = """query($r: ID!) { listMembers(roomId: $r) { items { userId user { displayName } } } }"""


def users_table(outputs: dict[str, Any]) -> Any:
    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="e2e",
        aws_secret_access_key="e2e",
    )
    return dynamodb.Table(outputs["usersTableName"])


def test_demo_users_got_their_profiles_from_the_trigger(outputs, users):
    table = users_table(outputs)
    for name in ("alice", "bob", "carol"):
        item = table.get_item(Key={"userId": users.sub(name)}).get("Item")
        assert item is not None, name
        assert item["displayName"] == name


async def test_a_confirmed_sign_up_has_a_profile_before_its_first_request(outputs):
    cognito = cognito_client(outputs)
    local = f"Signup-{uuid.uuid4().hex[:8]}"
    email = f"{local}@example.com"
    signed_up = cognito.sign_up(
        ClientId=outputs["userPoolClientId"],
        Username=email,
        Password=DEMO_PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    sub = signed_up["UserSub"]
    table = users_table(outputs)
    assert "Item" not in table.get_item(Key={"userId": sub})
    cognito.confirm_sign_up(
        ClientId=outputs["userPoolClientId"], Username=email, ConfirmationCode="123456"
    )
    item = table.get_item(Key={"userId": sub})["Item"]
    assert item["displayName"] == local.lower()  # the pool folds user names; e-mail too
    tokens = AWSSRP(
        username=email,
        password=DEMO_PASSWORD,
        pool_id=outputs["userPoolId"],
        client_id=outputs["userPoolClientId"],
        client=cognito,
    ).authenticate_user()["AuthenticationResult"]
    me = (await execute(outputs, tokens["IdToken"], ME))["me"]
    assert me["userId"] == sub
    assert me["displayName"] == item["displayName"]
    assert me["createdAt"] == item["createdAt"]


async def test_authors_and_members_come_with_their_profiles(outputs, users):
    api = Api(outputs, users)
    name = unique("Bob")
    await api.call("bob", UPDATE, {"i": {"displayName": name}})
    room = await api.create_room("alice", "PRIVATE", members=("bob",))
    await api.send("alice", room["roomId"], "hello from alice")
    await api.send("bob", room["roomId"], "hello from bob")
    page = (await api.call("carol", ME))["me"]
    assert page["displayName"] == "carol"
    items = (await api.call("alice", PAGE, {"r": room["roomId"]}))["listMessages"]["items"]
    authors = {m["authorId"]: m["author"]["displayName"] for m in items}
    assert authors == {api.sub("alice"): "alice", api.sub("bob"): name}
    members = (await api.call("bob", MEMBERS, {"r": room["roomId"]}))["listMembers"]["items"]
    assert {m["userId"]: m["user"]["displayName"] for m in members} == {
        api.sub("alice"): "alice",
        api.sub("bob"): name,
    }
    assert await api.refusal("carol", PAGE, {"r": room["roomId"]}) == (
        "Unauthorized",
        f"room {room['roomId']} does not exist or you are not allowed to see it",
    )
