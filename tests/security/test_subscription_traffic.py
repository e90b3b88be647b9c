"""What each room subscription receives after a ban, a removal or a mute, through the
running emulator and the real `gql` WebSocket transport.

The matrix (`test_authorization_matrix.py`) proves who may START a subscription; this
proves who keeps RECEIVING. Six members subscribe to all four room subscriptions
(onMessageAdded, onMessageUpdated, onTyping, onMemberChanged): a plain member (the
control), a member who gets muted, and four who lose access: a banned member, a banned
member of the Cognito group Admin, one of the group Moderator, and a removed member.

Traffic of every kind runs twice, before and after the change. Before: every subscriber
must receive every event (so the subscriptions demonstrably work and the test cannot pass
on silence). After: the control and the muted member must still receive every event
(muted means silent, not deaf), and those who lost access receive nothing more on any
room subscription once their own ban or removal was published.

"Nothing arrived" needs a point after which anything sent would have arrived: each
connection also holds onPresenceChanged for the actor, and the actor updates its presence
as a fence after the traffic. The emulator publishes a mutation's events synchronously
before it answers and writes each connection's messages in order (`emulator/realtime.py`:
one outbox and one sender per connection), so once the fence is on a connection, every
event published before it is too. Each connection logs every message it receives, in
order (`RecordingTransport`), and the assertions read that log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from gql import Client, gql

from tests.security.callers import (
    AUTHOR,
    REQUEST_TIMEOUT_SECONDS,
    USER_OF_KIND,
    AckRecordingTransport,
    _auth,
    create_matrix_users,
    http_sessions,
)

pytestmark = pytest.mark.e2e

ROOM_SUBSCRIPTIONS = {
    "onMessageAdded": "subscription($r: ID!) { onMessageAdded(roomId: $r) { roomId content } }",
    "onMessageUpdated": (
        "subscription($r: ID!) { onMessageUpdated(roomId: $r) { roomId content } }"
    ),
    "onTyping": "subscription($r: ID!) { onTyping(roomId: $r) { roomId userId isTyping } }",
    "onMemberChanged": (
        "subscription($r: ID!) { onMemberChanged(roomId: $r) { roomId userId isBanned } }"
    ),
}
FENCE = """subscription($u: [ID!]!) {
  onPresenceChanged(userIds: $u) { userId customStatus } }"""

CREATE = """mutation($m: [ID!]) {
  createRoom(input: {name: "traffic", type: PRIVATE, memberIds: $m}) { roomId } }"""
SEND = """mutation($r: ID!, $c: String!) {
  sendMessage(input: {roomId: $r, content: $c}) { roomId messageId content } }"""
EDIT = """mutation($r: ID!, $m: ID!, $c: String!) {
  editMessage(roomId: $r, messageId: $m, content: $c) { roomId messageId content } }"""
TYPING = """mutation($r: ID!, $t: Boolean!) {
  sendTyping(roomId: $r, isTyping: $t) { roomId userId isTyping } }"""
ADD = """mutation($r: ID!, $u: ID!) {
  addMember(roomId: $r, userId: $u) { roomId userId isBanned } }"""
PRESENCE = """mutation($s: String!) {
  updatePresence(status: ONLINE, customStatus: $s) { userId customStatus } }"""
TARGET = "($r: ID!, $u: ID!) {{ {field}(roomId: $r, userId: $u) {{ roomId userId isBanned }} }}"

ACTOR = USER_OF_KIND["owner"]
CONTROLS = {"control": AUTHOR, "muted": USER_OF_KIND["muted"]}
"""Subscribers who keep access: they must receive every event, after the change too."""
BANNED = {
    "banned": USER_OF_KIND["banned"],
    "banned Cognito Admin": USER_OF_KIND["banned_cognito_admin"],
    "banned Cognito Moderator": USER_OF_KIND["banned_cognito_moderator"],
}
REMOVED = {"removed": USER_OF_KIND["member"]}
LOSERS = {**BANNED, **REMOVED}
"""Subscribers who lose access: nothing may reach them after their own change."""


def markers(phase: str) -> dict[str, Any]:
    """Per subscription field, the value that tells this phase's event apart."""
    return {
        "onMessageAdded": f"traffic {phase}",
        "onMessageUpdated": f"traffic {phase} edited",
        "onTyping": phase == "before",
        "onMemberChanged": f"traffic-ghost-{phase}",
    }


MARKED_FIELD = {
    "onMessageAdded": "content",
    "onMessageUpdated": "content",
    "onTyping": "isTyping",
    "onMemberChanged": "userId",
}


class RecordingTransport(AckRecordingTransport):
    """The matrix's transport, also logging every message it receives, in arrival order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[dict[str, Any]] = []
        self.received = asyncio.Event()

    def _parse_answer(self, answer: str) -> Any:
        self.log.append(json.loads(answer))
        self.received.set()
        return super()._parse_answer(answer)


@dataclass
class Subscriber:
    name: str
    user_id: str
    transport: RecordingTransport
    client: Client
    fields_by_id: dict[str, str] = field(default_factory=dict)
    consumers: list[asyncio.Task] = field(default_factory=list)

    def events(self, start: int = 0) -> list[tuple[str, dict[str, Any]]]:
        """(subscription field, payload) of every `data` message from `start` on."""
        found = []
        for message in self.transport.log[start:]:
            subscription = self.fields_by_id.get(str(message.get("id")))
            if message.get("type") == "data" and subscription is not None:
                found.append((subscription, message["payload"]["data"][subscription]))
        return found

    async def until(self, predicate) -> None:
        while not predicate():
            self.transport.received.clear()
            await asyncio.wait_for(self.transport.received.wait(), REQUEST_TIMEOUT_SECONDS)

    async def fenced(self, status: str) -> int:
        """Wait for the fence; returns the log position just after it."""

        def after_fence() -> int | None:
            for index, message in enumerate(self.transport.log):
                subscription = self.fields_by_id.get(str(message.get("id")))
                payload = (message.get("payload") or {}).get("data") or {}
                presence = payload.get("onPresenceChanged") or {}
                if subscription == "onPresenceChanged" and presence.get("customStatus") == status:
                    return index + 1
            return None

        await self.until(lambda: after_fence() is not None)
        return after_fence()


async def drain(stream) -> None:
    """Keeps a subscription running; what it receives is read from the transport's log."""
    async for _ in stream:
        pass


async def subscribe(outputs, token: str, name: str, user_id: str, room_id: str, actor: str):
    transport = RecordingTransport(
        url=outputs["realtimeUrl"],
        auth=_auth(outputs, token),
        close_timeout=1,
        connect_timeout=REQUEST_TIMEOUT_SECONDS,
        ack_timeout=REQUEST_TIMEOUT_SECONDS,
    )
    client = Client(transport=transport)
    session = await client.connect_async()
    subscriber = Subscriber(name, user_id, transport, client)
    wanted = [(f, q, {"r": room_id}) for f, q in ROOM_SUBSCRIPTIONS.items()]
    wanted.append(("onPresenceChanged", FENCE, {"u": [actor]}))
    for subscription, query, variables in wanted:
        query_id = str(transport.next_query_id)
        subscriber.fields_by_id[query_id] = subscription
        stream = session.subscribe(gql(query), variable_values=variables)
        subscriber.consumers.append(asyncio.ensure_future(drain(stream)))
        await asyncio.wait_for(transport.acks[query_id].wait(), REQUEST_TIMEOUT_SECONDS)
    return subscriber


@dataclass
class Actor:
    http: Any
    room_id: str

    async def traffic(self, phase: str) -> None:
        """One event of every room subscription, then the fence."""
        mark = markers(phase)
        sent = await self.http.data(SEND, {"r": self.room_id, "c": mark["onMessageAdded"]})
        message_id = sent["sendMessage"]["messageId"]
        edit = {"r": self.room_id, "m": message_id, "c": mark["onMessageUpdated"]}
        await self.http.data(EDIT, edit)
        await self.http.data(TYPING, {"r": self.room_id, "t": mark["onTyping"]})
        await self.http.data(ADD, {"r": self.room_id, "u": mark["onMemberChanged"]})
        await self.http.data(PRESENCE, {"s": f"fence {phase}"})

    async def target(self, mutation: str, user_id: str) -> None:
        await self.http.data(
            "mutation" + TARGET.format(field=mutation), {"r": self.room_id, "u": user_id}
        )


def received_markers(events: list[tuple[str, dict[str, Any]]], phase: str) -> set[str]:
    mark = markers(phase)
    return {
        subscription
        for subscription, payload in events
        if subscription in MARKED_FIELD
        and payload.get(MARKED_FIELD[subscription]) == mark[subscription]
    }


async def test_who_lost_access_receives_nothing_and_the_others_everything(outputs, users):
    create_matrix_users(users)
    names = {ACTOR, *CONTROLS.values(), *LOSERS.values()}
    subs = {name: users.sub(name) for name in names}
    async with http_sessions(outputs, {ACTOR: users.token(ACTOR)}) as http:
        members = [subs[name] for name in names if name != ACTOR]
        created = await http[ACTOR].data(CREATE, {"m": members})
        actor = Actor(http[ACTOR], created["createRoom"]["roomId"])
        watched = {**CONTROLS, **LOSERS}
        subscribers = await asyncio.gather(
            *(
                subscribe(outputs, users.token(user), name, subs[user], actor.room_id, subs[ACTOR])
                for name, user in watched.items()
            )
        )
        try:
            await actor.traffic("before")
            marks = dict(
                zip(
                    watched,
                    await asyncio.gather(*(s.fenced("fence before") for s in subscribers)),
                    strict=True,
                )
            )
            for subscriber in subscribers:
                got = received_markers(subscriber.events(), "before")
                assert got == set(ROOM_SUBSCRIPTIONS), (subscriber.name, "before", got)

            await actor.target("muteMember", subs[CONTROLS["muted"]])
            for user in BANNED.values():
                await actor.target("banMember", subs[user])
            for user in REMOVED.values():
                await actor.target("removeMember", subs[user])
            await actor.traffic("after")
            await asyncio.gather(*(s.fenced("fence after") for s in subscribers))

            for subscriber in subscribers:
                after_change = subscriber.events(marks[subscriber.name])
                got = received_markers(after_change, "after")
                if subscriber.name in CONTROLS:
                    assert got == set(ROOM_SUBSCRIPTIONS), (subscriber.name, "after", got)
                    continue
                assert got == set(), (subscriber.name, "received after losing access", got)
                assert events_after_own_change(subscriber, after_change) == [], subscriber.name
        finally:
            for subscriber in subscribers:
                for consumer in subscriber.consumers:
                    consumer.cancel()
                with contextlib.suppress(Exception):
                    await subscriber.client.close_async()


def events_after_own_change(
    subscriber: Subscriber, events: list[tuple[str, dict[str, Any]]]
) -> list[tuple[str, dict[str, Any]]]:
    """Room events that reached the subscriber after the event of its own ban or removal
    (which it may still see, as AppSync publishes before it invalidates)."""
    room_events = [(s, p) for s, p in events if s in ROOM_SUBSCRIPTIONS]
    for index, (subscription, payload) in enumerate(room_events):
        if subscription == "onMemberChanged" and payload["userId"] == subscriber.user_id:
            return room_events[index + 1 :]
    return room_events
