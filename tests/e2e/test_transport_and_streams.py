"""The running emulator's transport and stream plumbing, as clients meet them.

- No Nagle stall: a request on a kept-alive connection is not slower than one on a new
  connection by more than a small factor. With Nagle's algorithm on the server socket, a
  response written in two pieces waits for the client's delayed ACK (~40 ms on Linux)
  on every kept-alive request, while a fresh connection takes a few ms; the check is a
  ratio of medians within one run, never a time.
- Search keeps indexing after a transaction on the messages table is cancelled (moto
  used to swap in a copy of the table, and the stream feeder then read a dead stream).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import statistics
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.e2e.api_calls import Api, unique

pytestmark = pytest.mark.e2e

SAMPLES = 40
NAGLE_FREE_RATIO = 3.0
"""A delayed-ACK stall makes the ratio 10 or more; scheduling noise stays well under 3."""


def _median_ratio(url: str, path: str, body: bytes, headers: dict[str, str]) -> float:
    parts = urlsplit(url)
    kept = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    times: dict[bool, list[float]] = {False: [], True: []}
    import time

    for n in range(SAMPLES * 2 + 4):
        fresh = bool(n % 2)
        connection = (
            http.client.HTTPConnection(parts.hostname, parts.port, timeout=60) if fresh else kept
        )
        started = time.perf_counter()
        connection.request("POST", path, body, headers)
        reply = connection.getresponse()
        reply.read()
        elapsed = time.perf_counter() - started
        assert reply.status == 200, reply.status
        if fresh:
            connection.close()
        if n >= 4:  # the first rounds warm both paths up
            times[fresh].append(elapsed)
    kept.close()
    return statistics.median(times[False]) / statistics.median(times[True])


def test_graphql_keep_alive_requests_do_not_stall(outputs, users):
    ratio = _median_ratio(
        outputs["graphqlUrl"],
        "/graphql",
        json.dumps({"query": "{ __typename }"}).encode(),
        {"Content-Type": "application/json", "Authorization": users.token("alice")},
    )
    assert ratio < NAGLE_FREE_RATIO, f"keep-alive/new-connection median ratio {ratio:.1f}"


def test_aws_endpoint_keep_alive_requests_do_not_stall(outputs):
    ratio = _median_ratio(
        outputs["awsEndpoint"],
        "/",
        b"{}",
        {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Host": f"dynamodb.{outputs['region']}.amazonaws.com",
        },
    )
    assert ratio < NAGLE_FREE_RATIO, f"keep-alive/new-connection median ratio {ratio:.1f}"


SEARCH = """query($q: String!) { searchMessages(query: $q) {
  total items { message { messageId } } } }"""


async def test_search_indexes_every_message_after_a_cancelled_transaction(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", "PUBLIC"))["roomId"]
    term = unique("okapi").replace("-", "")
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="e2e",
        aws_secret_access_key="e2e",
    )
    messages = outputs["messagesTableName"]
    phantom: dict[str, Any] = {
        "roomId": {"S": room},
        "messageId": {"S": "0-phantom"},
        "content": {"S": f"{term} never written"},
    }
    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": messages, "Item": phantom}},
                {
                    "ConditionCheck": {
                        "TableName": outputs["roomsTableName"],
                        "Key": {"roomId": {"S": room}},
                        "ConditionExpression": "attribute_not_exists(roomId)",
                    }
                },
            ]
        )
    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    sent = {(await api.send("alice", room, f"{term} number {n}"))["messageId"] for n in range(5)}
    found: set[str] = set()
    for _ in range(200):  # bounded polling: the feeder indexes asynchronously
        result = (await api.call("alice", SEARCH, {"q": term}))["searchMessages"]
        found = {hit["message"]["messageId"] for hit in result["items"]}
        if sent <= found:
            break
        await asyncio.sleep(0.1)
    assert found == sent
