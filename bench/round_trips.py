"""DynamoDB round trips per operation, for every query field of the schema.

    .venv/bin/python bench/round_trips.py

Runs the in-process API (`emulator.testing.LocalApi`: moto, the real templates and
Lambdas) on a small seeded chat, and counts every DynamoDB call made while one query
executes, with a botocore `before-call.dynamodb` hook on the engine's client and on the
default session the Lambdas create their clients from (a client copies its session's
hooks when it is created, so nothing is counted twice). The architecture budget is
at most 2 sequential round trips per page for a read; the table prints the calls in
order so a reviewer can see which are sequential. Fails (exit 1) if a Query field of
the schema has no measured operation here, so new fields are not silently skipped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.opensearch import start_standin
from emulator.testing import LocalApi

BUDGET = 2


class CallCounter:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)


def seed(api: LocalApi) -> dict[str, str]:
    def ok(result: dict[str, Any]) -> dict[str, Any]:
        if result.get("errors"):
            raise RuntimeError(result["errors"])
        return result["data"]

    room = ok(
        api.call(
            'mutation($m: [ID!]) { createRoom(input: {name: "bench", type: PUBLIC, memberIds: $m})'
            " { roomId } }",
            {"m": [api.sub_of("bob")]},
        )
    )["createRoom"]["roomId"]
    send = "mutation($i: SendMessageInput!) { sendMessage(input: $i) { messageId } }"
    first = ok(api.call(send, {"i": {"roomId": room, "content": "hello"}}))["sendMessage"]
    for n in range(5):
        ok(api.call(send, {"i": {"roomId": room, "content": f"more {n}"}}, user="bob"))
    ok(api.call(send, {"i": {"roomId": room, "content": "reply", "replyTo": first["messageId"]}}))
    mention = {"roomId": room, "content": "@alice", "mentions": [api.sub_of("alice")]}
    ok(api.call(send, {"i": mention}, user="bob"))
    ok(
        api.call(
            "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { userId } }",
            {"r": room, "m": first["messageId"]},
            user="bob",
        )
    )
    ok(
        api.call(
            "mutation($r: ID!, $m: ID!) { pinMessage(roomId: $r, messageId: $m) { messageId } }",
            {"r": room, "m": first["messageId"]},
        )
    )
    ok(api.call("mutation { updatePresence(status: ONLINE) { userId } }"))
    upload = ok(
        api.call(
            'mutation { createUpload(input: {fileName: "a.png", contentType: "image/png",'
            " size: 10, purpose: USER_AVATAR}) { uploadId } }"
        )
    )
    return {
        "room": room,
        "message": first["messageId"],
        "upload": upload["createUpload"]["uploadId"],
    }


def operations(ids: dict[str, str], api: LocalApi) -> dict[str, tuple[str, dict[str, Any]]]:
    room, message = ids["room"], ids["message"]
    msg = "items { messageId content reactions { emoji count } }"
    return {
        "getRoom": ("query($r: ID!) { getRoom(roomId: $r) { roomId memberCount } }", {"r": room}),
        "listPublicRooms": ("{ listPublicRooms(limit: 20) { items { roomId } } }", {}),
        "myRooms": ("{ myRooms(limit: 20) { items { room { roomId } unreadCount } } }", {}),
        "listMembers": (
            "query($r: ID!) { listMembers(roomId: $r) { items { userId role } } }",
            {"r": room},
        ),
        "listMessages": (
            f"query($r: ID!) {{ listMessages(roomId: $r, limit: 20) {{ {msg} }} }}",
            {"r": room},
        ),
        "getMessage": (
            "query($r: ID!, $m: ID!) { getMessage(roomId: $r, messageId: $m) { content } }",
            {"r": room, "m": message},
        ),
        "getThread": (
            "query($r: ID!, $m: ID!) { getThread(roomId: $r, messageId: $m)"
            " { root { messageId } replies { messageId } } }",
            {"r": room, "m": message},
        ),
        "messageChanges": (
            "query($r: ID!) { messageChanges(roomId: $r, limit: 20) {"
            " items { messageId content version reactions { emoji count } } cursor hasMore } }",
            {"r": room},
        ),
        "listPinnedMessages": (
            f"query($r: ID!) {{ listPinnedMessages(roomId: $r) {{ {msg} }} }}",
            {"r": room},
        ),
        "searchMessages": (
            'query($r: ID) { searchMessages(query: "hello", roomId: $r) { total } }',
            {"r": room},
        ),
        "myMentions": ("{ myMentions(limit: 20) { items { messageId authorId } } }", {}),
        "listReadReceipts": (
            "query($r: ID!, $m: ID!) { listReadReceipts(roomId: $r, messageId: $m)"
            " { items { userId } } }",
            {"r": room, "m": message},
        ),
        "listJoinRequests": (
            "query($r: ID!) { listJoinRequests(roomId: $r) { items { userId } } }",
            {"r": room},
        ),
        "listReports": (
            "query($r: ID!) { listReports(roomId: $r) { items { reportId status } } }",
            {"r": room},
        ),
        "moderationLog": (
            "query($r: ID!) { moderationLog(roomId: $r) { items { entryId action } } }",
            {"r": room},
        ),
        "getPresence": (
            "query($u: [ID!]!) { getPresence(userIds: $u) { userId status } }",
            {"u": [api.sub_of("alice"), api.sub_of("bob")]},
        ),
        "me": ("{ me { userId displayName } }", {}),
        "getUpload": (
            "query($u: ID!) { getUpload(uploadId: $u) { uploadId status } }",
            {"u": ids["upload"]},
        ),
        "getUsers": (
            "query($u: [ID!]!) { getUsers(userIds: $u) { userId displayName } }",
            {"u": [api.sub_of("alice"), api.sub_of("bob")]},
        ),
    }


def main() -> int:
    search_url, stop_search = start_standin()
    os.environ.setdefault("OPENSEARCH_INDEX", "messages")
    counter = CallCounter()
    try:
        with LocalApi(opensearch_endpoint=search_url) as api:
            api.dynamodb.meta.events.register("before-call.dynamodb", counter)
            boto3.setup_default_session()
            boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", counter)
            ids = seed(api)
            measured = operations(ids, api)
            query_fields = set(api.engine.schema.query_type.fields)
            print(f"{'operation':<20} {'calls':>5}  budget  DynamoDB calls in order")
            over = []
            for name, (query, variables) in measured.items():
                counter.calls.clear()
                result = api.call(query, variables)
                status = (
                    "error: " + str(result["errors"][0]["message"]) if result.get("errors") else ""
                )
                calls = list(counter.calls)
                flag = "ok" if len(calls) <= BUDGET else "OVER"
                if len(calls) > BUDGET:
                    over.append(name)
                print(f"{name:<20} {len(calls):>5}  {flag:<6}  {', '.join(calls)} {status}")
    finally:
        stop_search()
    missing = sorted(query_fields - set(measured))
    if missing:
        print(f"not measured (add them here): {missing}")
        return 1
    if over:
        print(f"over the {BUDGET}-call budget (check whether the calls are sequential): {over}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
