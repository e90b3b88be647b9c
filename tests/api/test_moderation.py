"""Reports, hidden messages and the audit trail, in process (moto + engine + templates).

Each rule with its allow and deny case; what is stored is read back from the tables, so a
half-written action (an action without its audit entry) fails here.
"""

from __future__ import annotations

from typing import Any

from emulator.testing import LocalApi
from tests.api.seed import (
    MESSAGE_FIELDS,
    ban,
    create_room,
    data,
    error_message,
    error_type,
    send,
    set_role,
    stored_message,
)

REPORT = """mutation R($r: ID!, $m: ID!, $why: String!) {
  reportMessage(roomId: $r, messageId: $m, reason: $why) {
    roomId reportId messageId messageAuthorId reporterId source reason messageContent
    status createdAt } }"""
LIST_REPORTS = """query L($r: ID!, $s: ReportStatus) {
  listReports(roomId: $r, status: $s) {
    items { reportId messageId reason status resolution resolvedBy messageContent } nextToken } }"""
RESOLVE = """mutation S($r: ID!, $id: ID!, $how: ReportResolution!, $why: String) {
  resolveReport(roomId: $r, reportId: $id, resolution: $how, reason: $why) {
    reportId status resolution resolvedBy resolutionReason } }"""
HIDE = f"""mutation H($r: ID!, $m: ID!, $why: String) {{
  hideMessage(roomId: $r, messageId: $m, reason: $why) {{ {MESSAGE_FIELDS} hiddenAt version }} }}"""
UNHIDE = f"""mutation U($r: ID!, $m: ID!) {{
  unhideMessage(roomId: $r, messageId: $m) {{ {MESSAGE_FIELDS} hiddenAt version }} }}"""
LOG = """query A($r: ID!) { moderationLog(roomId: $r) {
  items { entryId action actorId targetUserId messageId reportId resolution reason at }
  nextToken } }"""
MUTE = """mutation M($r: ID!, $u: ID!, $why: String) {
  muteMember(roomId: $r, userId: $u, reason: $why) { userId isMuted } }"""
BAN = """mutation B($r: ID!, $u: ID!, $why: String) {
  banMember(roomId: $r, userId: $u, reason: $why) { userId isBanned } }"""
GET = "query G($r: ID!, $m: ID!) { getMessage(roomId: $r, messageId: $m) { content hiddenAt } }"
LIST = "query L($r: ID!) { listMessages(roomId: $r) { items { messageId content hiddenAt } } }"
UPDATED = "subscription U($r: ID!) { onMessageUpdated(roomId: $r) { messageId content hiddenAt } }"
EDIT = """mutation E($r: ID!, $m: ID!) {
  editMessage(roomId: $r, messageId: $m, content: "edited") { content } }"""


def room_with_moderator(api: LocalApi) -> str:
    """alice owns it; mod is a MODERATOR; bob and carol are members."""
    room = create_room(api, members=("mod", "bob", "carol"))
    set_role(api, room, "mod", "MODERATOR")
    return room


def report(api: LocalApi, room: str, message_id: str, user: str, reason: str = "spam"):
    return api.call(REPORT, {"r": room, "m": message_id, "why": reason}, user=user)


def audit_items(api: LocalApi, room: str) -> list[dict[str, Any]]:
    return [
        i
        for i in api.scan("moderation")
        if i["roomId"] == room and i["entryKey"].startswith("audit#")
    ]


def test_a_member_reports_once_and_a_moderator_sees_it_with_the_content(api):
    room = room_with_moderator(api)
    message = send(api, room, "buy cheap watches", user="carol")

    made = data(report(api, room, message["messageId"], "bob", " spam "), "reportMessage")
    again = report(api, room, message["messageId"], "bob")
    listed = data(api.call(LIST_REPORTS, {"r": room}, user="mod"), "listReports")

    assert made["reportId"] == f"{message['messageId']}.{api.sub_of('bob')}"
    assert made["reason"] == "spam" and made["source"] == "MEMBER"
    assert made["messageAuthorId"] == api.sub_of("carol")
    assert error_type(again) == "Conflict"
    assert listed["items"] == [
        {
            "reportId": made["reportId"],
            "messageId": message["messageId"],
            "reason": "spam",
            "status": "OPEN",
            "resolution": None,
            "resolvedBy": None,
            "messageContent": "buy cheap watches",
        }
    ]


def test_members_do_not_list_reports_and_outsiders_do_not_report(api):
    room = room_with_moderator(api)
    message = send(api, room, "hello")

    assert error_type(api.call(LIST_REPORTS, {"r": room}, user="bob")) == "Unauthorized"
    assert error_type(report(api, room, message["messageId"], "mallory")) == "Unauthorized"
    assert error_type(report(api, room, "01JNOSUCHMESSAGE0000000000", "bob")) == "NotFound"


def test_a_banned_member_cannot_report(api):
    room = room_with_moderator(api)
    message = send(api, room, "hello")
    ban(api, room, "bob")

    assert error_type(report(api, room, message["messageId"], "bob")) == "Unauthorized"


def test_a_reason_is_bounded_and_not_blank(api):
    room = room_with_moderator(api)
    message = send(api, room, "hello")

    too_long = report(api, room, message["messageId"], "bob", "x" * 501)
    blank = report(api, room, message["messageId"], "bob", " \u200b ")
    control = report(api, room, message["messageId"], "bob", "bad\u0007")

    assert error_type(too_long) == "ValidationError" and "500" in error_message(too_long)
    assert error_type(blank) == "ValidationError"
    assert error_type(control) == "ValidationError"
    assert data(report(api, room, message["messageId"], "bob", "x" * 500), "reportMessage")


def test_resolving_moves_the_report_and_writes_the_audit_entry_in_one_go(api):
    room = room_with_moderator(api)
    message = send(api, room, "rude", user="carol")
    made = data(report(api, room, message["messageId"], "bob"), "reportMessage")

    variables = {"r": room, "id": made["reportId"], "how": "DISMISSED", "why": "banter"}
    resolved = data(api.call(RESOLVE, variables, user="mod"), "resolveReport")
    twice = api.call(RESOLVE, variables, user="mod")
    by_member = api.call(RESOLVE, variables, user="bob")

    assert resolved == {
        "reportId": made["reportId"],
        "status": "RESOLVED",
        "resolution": "DISMISSED",
        "resolvedBy": api.sub_of("mod"),
        "resolutionReason": "banter",
    }
    assert error_type(twice) == "NotFound"
    assert error_type(by_member) == "Unauthorized"
    assert data(api.call(LIST_REPORTS, {"r": room}, user="mod"), "listReports")["items"] == []
    closed = data(api.call(LIST_REPORTS, {"r": room, "s": "RESOLVED"}, user="mod"), "listReports")
    assert [r["reportId"] for r in closed["items"]] == [made["reportId"]]
    [entry] = audit_items(api, room)
    assert entry["action"] == "RESOLVE_REPORT" and entry["actorId"] == api.sub_of("mod")
    assert entry["reason"] == "banter" and entry["targetUserId"] == api.sub_of("carol")


def test_a_hidden_message_shows_no_content_to_anyone_until_unhidden(api):
    room = room_with_moderator(api)
    message = send(api, room, "something nasty", user="carol")
    listening = api.subscribe(UPDATED, {"r": room}, user="bob")
    ids = {"r": room, "m": message["messageId"]}

    hidden = data(api.call(HIDE, {**ids, "why": "slur"}, user="mod"), "hideMessage")
    member_view = data(api.call(GET, ids, user="bob"), "getMessage")
    listed = data(api.call(LIST, {"r": room}, user="bob"), "listMessages")["items"]
    edit = api.call(EDIT, ids, user="carol")
    snapshot = data(report(api, room, message["messageId"], "bob"), "reportMessage")

    assert hidden["content"] is None and hidden["hiddenAt"] is not None
    assert hidden["version"] == message.get("version", 1) + 1
    assert member_view == {"content": None, "hiddenAt": hidden["hiddenAt"]}
    assert [m["content"] for m in listed] == [None]
    assert listening.events[-1]["data"]["onMessageUpdated"]["content"] is None
    assert error_type(edit) == "Conflict"
    assert snapshot["messageContent"] == "something nasty"
    assert "content" not in stored_message(api, room, message["messageId"])

    shown = data(api.call(UNHIDE, ids, user="mod"), "unhideMessage")

    assert shown["content"] == "something nasty" and shown["hiddenAt"] is None
    assert listening.events[-1]["data"]["onMessageUpdated"]["content"] == "something nasty"
    stored = stored_message(api, room, message["messageId"])
    assert "hiddenContent" not in stored and stored["version"] == hidden["version"] + 1
    assert [e["action"] for e in sorted(audit_items(api, room), key=lambda e: e["entryKey"])] == [
        "HIDE_MESSAGE",
        "UNHIDE_MESSAGE",
    ]


def test_members_cannot_hide_and_a_backend_can(api):
    room = room_with_moderator(api)
    message = send(api, room, "hello", user="carol")
    ids = {"r": room, "m": message["messageId"]}

    by_member = api.call(HIDE, ids, user="bob")
    by_backend = api.call_iam(HIDE, {**ids, "why": "toxicity 0.97"}, role="moderation")
    again = api.call(HIDE, ids, user="mod")
    unhide_by_member = api.call(UNHIDE, ids, user="bob")

    assert error_type(by_member) == "Unauthorized"
    assert data(by_backend, "hideMessage")["content"] is None
    assert error_type(again) == "Conflict"
    assert error_type(unhide_by_member) == "Unauthorized"
    [entry] = audit_items(api, room)
    assert entry["actorId"] == "iam:moderation" and entry["reason"] == "toxicity 0.97"


def test_deleting_a_hidden_message_removes_what_was_hidden(api):
    room = room_with_moderator(api)
    message = send(api, room, "nasty", user="carol")
    ids = {"r": room, "m": message["messageId"]}
    data(api.call(HIDE, ids, user="mod"), "hideMessage")

    deleted = api.call(
        "mutation D($r: ID!, $m: ID!) { deleteMessage(roomId: $r, messageId: $m) { isDeleted } }",
        ids,
        user="mod",
    )

    assert data(deleted, "deleteMessage") == {"isDeleted": True}
    stored = stored_message(api, room, message["messageId"])
    assert not {"content", "hiddenContent", "hiddenAt", "hiddenBy"} & set(stored)


def test_moderator_actions_are_audited_with_who_whom_when_and_why(api):
    room = room_with_moderator(api)
    bob, carol = api.sub_of("bob"), api.sub_of("carol")

    data(api.call(MUTE, {"r": room, "u": bob, "why": "flooding"}, user="mod"), "muteMember")
    data(api.call(BAN, {"r": room, "u": carol}, user="alice"), "banMember")
    log = data(api.call(LOG, {"r": room}, user="alice"), "moderationLog")

    assert [(e["action"], e["actorId"], e["targetUserId"], e["reason"]) for e in log["items"]] == [
        ("BAN_MEMBER", api.sub_of("alice"), carol, None),
        ("MUTE_MEMBER", api.sub_of("mod"), bob, "flooding"),
    ]
    assert all(e["at"] and e["entryId"].startswith(e["at"]) for e in log["items"])


def test_only_the_rooms_admins_read_the_audit_trail(api):
    room = room_with_moderator(api)

    assert error_type(api.call(LOG, {"r": room}, user="mod")) == "Unauthorized"
    assert error_type(api.call(LOG, {"r": room}, user="bob")) == "Unauthorized"
    assert data(api.call(LOG, {"r": room}, user="x", groups=["Admin"]), "moderationLog")


def test_a_refused_action_leaves_no_audit_entry(api):
    room = room_with_moderator(api)
    bob = api.sub_of("bob")
    set_role(api, room, "bob", "ADMIN")

    refused = api.call(MUTE, {"r": room, "u": bob, "why": "no"}, user="mod")

    assert error_type(refused) == "Unauthorized"
    assert audit_items(api, room) == []
