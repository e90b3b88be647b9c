"""Where the plainest representative request does not reach a template's JSON.

The generated request is an OWNER of a PUBLIC room acting on items shaped like the
schema's types (see `representative.py`). A few paths need something else: a target
below the caller, a message of the caller's own, a caller who is not yet a member. Each
entry says which rule it satisfies; the rendering check runs every scenario listed for a
field instead of the plain one, and still fails if any template never renders.

`results` replace what the data source answers for one step, keyed by pipeline function
name (or the resolver key for a unit resolver): a dict is merged into the representative
result, None means "no item", a `Failure` is reported as the data source's error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from components.naming import table_name
from tests.contract.representative import ulid_like

RENDERING_PREFIX = "chat-test"
"""The stack prefix the rendering check deploys its table names with."""

CALLER = "<caller sub>"
"""Stands for the representative caller's `sub` in arguments and results."""


@dataclass(frozen=True)
class Failure:
    error_type: str
    message: str
    result: Any = None


@dataclass(frozen=True)
class Scenario:
    reason: str = ""
    arguments: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    backend: bool = False
    """The caller is a trusted backend (IAM) instead of the representative user."""
    source: dict[str, Any] = field(default_factory=dict)
    """For a field of a non-root type: attributes its parent item stores besides the plain ones."""


PLAIN = Scenario()
TARGET_BELOW_CALLER = Scenario(
    "the target is a MEMBER, below the OWNER caller",
    results={"membersLoadTarget": {"role": "MEMBER"}},
)
ONE_EMOJI = Scenario("an emoji is one grapheme", arguments={"emoji": "\N{THUMBS UP SIGN}"})
DIRECT_PAIR_EXISTS = Failure(
    "DynamoDB:TransactionCanceledException",
    "Transaction cancelled, please refer cancellation reasons for specific reasons "
    "[ConditionalCheckFailed, None, None]",
    result={
        "keys": None,
        "cancellationReasons": [
            {"type": "ConditionalCheckFailed", "message": "The conditional request failed"},
            {"type": "None", "message": None},
            {"type": "None", "message": None},
        ],
    },
)

CHANGED_ITEM = {
    "roomId": "01JROOM0000000000000000000",
    "messageId": "01JMESSAGE0000000000000000",
    "authorId": "someone",
    "type": "TEXT",
    "createdAt": "2026-01-01T00:00:00.000Z",
    "isEdited": False,
    "isDeleted": False,
    "pinned": False,
    "reactions": {},
    "version": 2,
    "changeKey": "1767225600000#01JMESSAGE0000000000000000",
}

OPEN_POLL = {
    "type": "POLL",
    "isDeleted": False,
    "poll": {
        "options": [{"optionId": "o1", "text": "yes"}, {"optionId": "o2", "text": "no"}],
        "allowMultiple": False,
        "closed": False,
    },
    "pollCounts": {"o1": 0, "o2": 1},
}

SCENARIOS: dict[str, tuple[Scenario, ...]] = {
    "Query.messageChanges": (
        Scenario(
            "a first catch-up (no cursor), everything read",
            arguments={"cursor": None},
            results={"msgListChanges": {"items": [CHANGED_ITEM], "nextToken": None}},
        ),
        Scenario(
            "resumed from a kept cursor, nothing changed since",
            arguments={"cursor": "1767225600000.01JMESSAGE0000000000000000"},
            results={"msgListChanges": {"items": [], "nextToken": None}},
        ),
        Scenario(
            "a continuation cursor with a further page to read",
            arguments={"cursor": "1767225600000.01JMESSAGE0000000000000000.1767225600500"},
            results={"msgListChanges": {"items": [CHANGED_ITEM], "nextToken": "more"}},
        ),
    ),
    "Mutation.createRoom": (
        PLAIN,
        Scenario(
            "a DIRECT room whose pair already has one: roomsGetDirectRoom returns it",
            arguments={"input": {"type": "DIRECT", "maxMembers": 2}},
            results={"roomsCreateRoom": DIRECT_PAIR_EXISTS},
        ),
    ),
    "Mutation.joinRoom": (
        Scenario("a member joining again gets the membership back"),
        Scenario(
            "a first join: the caller has no membership yet",
            results={"getCallerMembership": {"items": [None, {"type": "PUBLIC"}]}},
        ),
    ),
    "Mutation.requestToJoin": (
        Scenario(
            "a non-member asks to join a PUBLIC room with requireApproval",
            results={
                "getCallerMembership": {
                    "items": [None, {"type": "PUBLIC", "settings": {"requireApproval": True}}]
                }
            },
        ),
    ),
    "Mutation.leaveRoom": (
        Scenario(
            "a MEMBER leaves (the OWNER must hand over first)",
            results={"getCallerMembership": {"items": [{"role": "MEMBER"}, {}]}},
        ),
    ),
    "Mutation.addMember": (
        Scenario(
            "a MEMBER is invited (never OWNER) who is not in the room yet",
            arguments={"role": "MEMBER"},
            results={"membersLoadTarget": None},
        ),
    ),
    "Mutation.removeMember": (TARGET_BELOW_CALLER,),
    "Mutation.banMember": (TARGET_BELOW_CALLER,),
    "Mutation.muteMember": (TARGET_BELOW_CALLER,),
    "Mutation.unmuteMember": (TARGET_BELOW_CALLER,),
    "Mutation.unbanMember": (
        Scenario("the target is banned", results={"membersLoadTarget": {"isBanned": True}}),
    ),
    "Mutation.editMessage": (
        Scenario(
            "the caller wrote the message, which is not hidden",
            results={"msgLoadMessage": {"authorId": CALLER, "hiddenAt": None}},
        ),
    ),
    "Mutation.hideMessage": (
        Scenario("the message is not hidden yet", results={"msgLoadMessage": {"hiddenAt": None}}),
    ),
    "Mutation.addReaction": (ONE_EMOJI,),
    "Mutation.removeReaction": (
        ONE_EMOJI,
        Scenario(
            "the caller has reacted with that emoji",
            arguments=ONE_EMOJI.arguments,
            results={"msgLoadMessage": {"reactions": {"\N{THUMBS UP SIGN}": [CALLER]}}},
        ),
    ),
    "Query.me": (
        Scenario("the caller has a profile"),
        Scenario("a first call: no profile yet", results={"usersGetProfile": None}),
    ),
    "Mutation.sendMessage": (
        Scenario("no attachments", arguments={"input": {"attachments": None}}),
        Scenario(
            "one PENDING upload of the caller's own in the room",
            results={
                "msgSendLoadAttachments": {
                    "data": {
                        table_name(RENDERING_PREFIX, "uploads"): [
                            {
                                "ownerId": CALLER,
                                "roomId": ulid_like("roomId"),
                                "purpose": "MESSAGE_ATTACHMENT",
                                "status": "PENDING",
                                "fileName": "report.pdf",
                                "contentType": "application/pdf",
                                "size": 1000,
                            }
                        ]
                    }
                }
            },
        ),
    ),
    "Mutation.updateRoomSettings": (
        Scenario(
            "a first change: the room stores no settings map yet",
            arguments={
                "input": {
                    "allowedContentTypes": ["image/png"],
                    "topic": "t",
                    "avatarUploadId": None,
                    "bannerUploadId": None,
                }
            },
        ),
        Scenario(
            "the room has a settings map: keys set and cleared one by one",
            arguments={
                "input": {
                    "allowedContentTypes": [],
                    "topic": None,
                    "avatarUploadId": None,
                    "bannerUploadId": None,
                }
            },
            results={
                "getCallerMembership": {
                    "items": [{"role": "OWNER"}, {"type": "PUBLIC", "settings": {"topic": "t"}}]
                }
            },
        ),
        Scenario(
            "a new avatar and a removed banner: the room, one claim and two releases in one "
            "transaction, read back, then the released files deleted",
            arguments={
                "input": {
                    "avatarUploadId": "new-avatar",
                    "bannerUploadId": None,
                    "allowedContentTypes": ["image/png"],
                }
            },
            results={
                "getCallerMembership": {
                    "items": [
                        {"role": "OWNER"},
                        {
                            "type": "PUBLIC",
                            "settings": {
                                "avatarUploadId": "old-avatar",
                                "bannerUploadId": "old-banner",
                            },
                        },
                    ]
                },
                "roomsLoadImageUploads": {
                    "data": {
                        table_name(RENDERING_PREFIX, "uploads"): [
                            {
                                "uploadId": "new-avatar",
                                "roomId": ulid_like("roomId"),
                                "purpose": "ROOM_AVATAR",
                                "status": "READY",
                            },
                            {
                                "uploadId": "old-avatar",
                                "roomId": ulid_like("roomId"),
                                "claimedFor": "avatarUploadId",
                            },
                            {
                                "uploadId": "old-banner",
                                "roomId": ulid_like("roomId"),
                                "claimedFor": "bannerUploadId",
                            },
                        ]
                    }
                },
            },
        ),
    ),
    "Mutation.updateProfile": (
        Scenario(
            "a name and status change: no avatar step reads or writes anything",
            arguments={"input": {"avatarUploadId": None}},
        ),
        Scenario(
            "a new avatar replaces the one shown: profile, claim and release in one "
            "transaction, read back, then the released file deleted",
            arguments={"input": {"avatarUploadId": "new-avatar"}},
            results={
                "usersAvatarLoadProfile": {"avatarUploadId": "old-avatar"},
                "usersAvatarLoadUploads": {
                    "data": {
                        table_name(RENDERING_PREFIX, "uploads"): [
                            {
                                "uploadId": "new-avatar",
                                "ownerId": CALLER,
                                "purpose": "USER_AVATAR",
                                "status": "READY",
                            },
                            {"uploadId": "old-avatar", "ownerId": CALLER, "claimedFor": "profile"},
                        ]
                    }
                },
            },
        ),
    ),
    "Query.getUpload": (
        Scenario("the caller's own upload", results={"Query.getUpload": {"ownerId": CALLER}}),
    ),
    "Mutation.refreshAttachments": (
        Scenario(
            "the upload check, after it marked the message's one upload READY",
            backend=True,
            results={
                "msgLoadMessage": {
                    "attachments": [
                        {
                            "attachmentId": ulid_like("upload"),
                            "fileName": "a.png",
                            "contentType": "image/png",
                            "size": 10,
                            "status": "PENDING",
                        }
                    ]
                },
                "msgRefreshLoadUploads": {
                    "data": {
                        table_name(RENDERING_PREFIX, "uploads"): [
                            {
                                "uploadId": ulid_like("upload"),
                                "messageId": ulid_like("messageId"),
                                "status": "READY",
                                "thumbnail": True,
                            }
                        ]
                    }
                },
            },
        ),
        Scenario("a message without attachments", backend=True),
    ),
    "Mutation.createPoll": (
        Scenario(
            "two options, no closing time",
            arguments={"input": {"options": ["yes", "no"], "closesAt": None}},
        ),
    ),
    "Mutation.votePoll": (
        Scenario(
            "a first vote on an open poll",
            arguments={"optionIds": ["o1"]},
            results={"msgLoadMessage": OPEN_POLL, "pollLoadVote": None},
        ),
        Scenario(
            "a changed vote",
            arguments={"optionIds": ["o1"]},
            results={
                "msgLoadMessage": OPEN_POLL,
                "pollLoadVote": {"optionIds": ["o2"], "revision": 1},
            },
        ),
    ),
    "Mutation.closePoll": (
        Scenario(
            "the author closes an open poll",
            results={"msgLoadMessage": {**OPEN_POLL, "authorId": CALLER}},
        ),
    ),
    "Message.poll": (Scenario("a POLL message stores its poll and counts", source=OPEN_POLL),),
    "Mutation.unpinMessage": (
        PLAIN,
        Scenario("the message is pinned", results={"msgLoadMessage": {"pinned": True}}),
    ),
}

ALLOWED_STOPS: dict[tuple[str, str], str] = {
    ("Mutation.postSystemMessage", "functions/msgSendFindRetry.request.vtl"): (
        "postSystemMessage admits IAM callers only and the representative caller is a "
        "user-pool caller; its templates render through sendMessage, its IAM path in "
        "tests/api/test_system_messages.py"
    ),
}
"""(resolver, template) -> why that template's `$util.error` for its scenario is right.

Empty while every field has a scenario reaching its success path; an entry is for a
template that errors on purpose for every request a scenario can build.
"""
