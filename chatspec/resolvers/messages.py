"""Resolver wiring: messages, reactions, pins and read state.

Every pipeline runs `getCallerMembership` first (the access decision, `$ctx.stash.access`)
and decides on it; with a messageId it also reads that message in the same request.

sendMessage never leaves half a message behind. Its steps are:
1. `msgSendFindRetry` checks `access.may.post` (members not banned or muted; moderators and
   up in ANNOUNCEMENT rooms), the content (not blank, no control characters but newline and
   tab, at most 4000 characters after trimming), type and clientMessageId, and looks up the
   idempotency record `<roomId>#<room incarnation>#<authorId>#<clientMessageId>`.
2. `msgSendCheckReplyTo` reads, on a retry, the first attempt's message AS IT IS NOW (edited,
   or a tombstone when deleted), which the retry returns: nothing stale is returned or
   published; otherwise the message replied to (NotFound when it is not in the room).
3. `msgSendLoadAttachments` reads the uploads named in `attachments` (at most 10, one
   consistent BatchGetItem) and refuses any that is not the caller's own MESSAGE_ATTACHMENT
   of this room, is expired, REJECTED or already attached.
4. `msgSendNextSeq` adds 1 to `rooms.messageCount` and returns the new value; it is the only
   way to learn the value, which becomes the message's `seq`. The room guard makes a room
   deleted meanwhile NotFound.
5. `msgSendWrite` checks the room guard and puts the message and its idempotency record in
   one TransactWriteItems, each conditional on not existing yet, so neither can exist
   without the other and no message lands in a room being deleted. When two attempts with
   the same clientMessageId race past step 1, the second transaction is cancelled and
   reported as Conflict; its retry then finds the record of the first. The same
   transaction claims each attachment (sets its messageId, removes its TTL) on condition
   that it is still the caller's, unattached and in the status step 3 read.
A failure after step 4 can only skip a `seq` number (the counter moved, no message took
it). Nothing reads `seq` as dense: unread counts subtract seqs and never go below 0.
The incarnation in the retry key means a DIRECT room deleted and created again (same id)
never answers a retry with the old conversation's message; deleteRoom also removes the
room's retry records (`byRoom` index).

postSystemMessage is the same pipeline for trusted backends (IAM only, by its auth
directive and again in `msgSendFindRetry`): no membership rules, type SYSTEM or
AI_RESPONSE, authorId `iam:<role or user name>` (see `chatspec.resolvers.common`).

messageChanges (catch-up) reads `byRoomChange` after the cursor, oldest change first: one
Query after the membership read. The index is eventually consistent and two writers can
commit in the opposite order of their timestamps, so a change can become visible behind a
position a client already read; the first page of every catch-up therefore starts
`CATCH_UP_OVERLAP_MS` before the cursor, and the final cursor of a catch-up never lies
after the moment its first page was read. A client may so receive a change again, and keeps
per messageId the highest version (README, "Reconnecting").

Polls (createPoll) are messages of type POLL sent through the same steps as sendMessage
(slow mode, anonymity and retention apply); a vote is an item of its own in `poll_votes`,
and the message keeps one count per option (at most 10), so no number of voters grows it.

Reactions are one Unicode emoji each (`chatspec.rules.REACTION_PATTERN`), at most 20
different emoji per message and 400 users per emoji, so a message item stays under
DynamoDB's 400 KB whatever is stored (`tests/contract/test_item_sizes.py`).
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, pipeline, step

LOAD_MESSAGE = "msgLoadMessage"
CATCH_UP_OVERLAP_MS = 60_000
"""How far before its cursor a catch-up reads again: longer than a write can take from its
timestamp to being visible in byRoomChange (the resolver's DynamoDB call plus GSI lag)."""
SEND_STEPS = (
    "msgSendFindRetry",
    "msgSendCheckReplyTo",
    "msgSendLoadAttachments",
    "msgSendNextSeq",
    "msgSendWrite",
)


def _messages(*actions: str, index: str | None = None) -> Grant:
    return Grant("messages", tuple(f"dynamodb:{a}" for a in actions), index=index)


FUNCTIONS: tuple[PipelineFunction, ...] = (
    step(
        LOAD_MESSAGE,
        "NoneDataSource",
        (),
        "Readers only: the targetMessage getCallerMembership read, NotFound when missing.",
    ),
    step(
        "msgSendFindRetry",
        "IdempotencyTable",
        (Grant("idempotency", ("dynamodb:GetItem",)),),
        "send rules (users or IAM backends), then an earlier attempt with the clientMessageId.",
    ),
    step(
        "msgSendCheckReplyTo",
        "MessagesTable",
        (_messages("GetItem"),),
        "sendMessage: a retry's message as it is now, or the message replied to.",
    ),
    step(
        "msgSendLoadAttachments",
        "UploadsTable",
        (Grant("uploads", ("dynamodb:BatchGetItem",)),),
        "sendMessage: the caller's uploads named in attachments (one consistent BatchGetItem).",
    ),
    step(
        "msgRefreshLoadUploads",
        "UploadsTable",
        (Grant("uploads", ("dynamodb:BatchGetItem",)),),
        "refreshAttachments (backends): the message's uploads, one consistent BatchGetItem.",
    ),
    step(
        "msgRefreshWrite",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "refreshAttachments: the uploads' statuses into the message, version and changeKey.",
    ),
    step(
        "msgSendNextSeq",
        "RoomsTable",
        (Grant("rooms", ("dynamodb:UpdateItem",)),),
        "sendMessage: increments rooms.messageCount; the new value is the message's seq.",
    ),
    step(
        "msgSendWrite",
        "MessagesTable",
        (
            _messages("PutItem"),
            Grant("idempotency", ("dynamodb:PutItem",)),
            Grant("rooms", ("dynamodb:ConditionCheckItem",)),
            Grant("room_members", ("dynamodb:UpdateItem",)),
            Grant("mentions", ("dynamodb:PutItem",)),
            Grant("uploads", ("dynamodb:UpdateItem",)),
        ),
        "sendMessage: room guard, message, idempotency record, slow-mode condition, "
        "mentions and the attachments' claims in one transaction.",
    ),
    step(
        "msgEditWrite",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "editMessage: the author's new content.",
    ),
    step(
        "msgDeleteWrite",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "deleteMessage: author or moderator+; soft delete to a tombstone.",
        response="shared/messageWrite.response.vtl",
    ),
    step(
        "msgAddReaction",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "addReaction: string-set ADD on reactions.<emoji>.",
    ),
    step(
        "msgRemoveReaction",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "removeReaction: string-set DELETE on reactions.<emoji>.",
        response="shared/messageWrite.response.vtl",
    ),
    step(
        "msgPin",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "pinMessage: moderator+; sets pinnedRoomId for the sparse byPinnedRoom index.",
    ),
    step(
        "msgUnpin",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "unpinMessage: moderator+; removes the pin attributes.",
        response="shared/messageWrite.response.vtl",
    ),
    step(
        "msgMarkRead",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "markRead: moves the caller's read state forward, never back.",
    ),
    step(
        "msgListMessages",
        "MessagesTable",
        (_messages("Query"),),
        "listMessages: members only, newest first.",
        response="shared/messagePage.response.vtl",
    ),
    step(
        "msgThreadReplies",
        "MessagesTable",
        (_messages("Query", index="byReplyTo"),),
        "getThread: replies to the stashed root, oldest first.",
    ),
    step(
        "msgListChanges",
        "MessagesTable",
        (_messages("Query", index="byRoomChange"),),
        "messageChanges: members only; changes after the cursor, oldest first.",
    ),
    step(
        "pollLoadVote",
        "PollVotesTable",
        (Grant("poll_votes", ("dynamodb:GetItem",)),),
        "votePoll: the vote's rules (open poll, its options) and the caller's earlier vote.",
    ),
    step(
        "pollVoteWrite",
        "MessagesTable",
        (_messages("UpdateItem"), Grant("poll_votes", ("dynamodb:PutItem",))),
        "votePoll: the vote item and the message's counts in one transaction.",
    ),
    step(
        "pollReload",
        "MessagesTable",
        (_messages("GetItem"),),
        "votePoll: the poll as it is now, for the result and onMessageUpdated.",
    ),
    step(
        "pollClose",
        "MessagesTable",
        (_messages("UpdateItem"),),
        "closePoll: the author or moderators and up close an open poll.",
    ),
    step(
        "msgListReadReceipts",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:Query",)),),
        "listReadReceipts: readers; members whose read state reached the message.",
    ),
    step(
        "msgListPinned",
        "MessagesTable",
        (_messages("Query", index="byPinnedRoom"),),
        "listPinnedMessages: members only, most recently pinned first.",
        response="shared/messagePage.response.vtl",
    ),
)

RESOLVERS: tuple[Resolver, ...] = (
    pipeline("Query.listMessages", MEMBERSHIP, "msgListMessages", before=PIPELINE_BEFORE),
    pipeline("Query.getMessage", MEMBERSHIP, LOAD_MESSAGE, before=PIPELINE_BEFORE),
    pipeline(
        "Query.getThread", MEMBERSHIP, LOAD_MESSAGE, "msgThreadReplies", before=PIPELINE_BEFORE
    ),
    pipeline("Query.listPinnedMessages", MEMBERSHIP, "msgListPinned", before=PIPELINE_BEFORE),
    pipeline("Query.messageChanges", MEMBERSHIP, "msgListChanges", before=PIPELINE_BEFORE),
    pipeline("Mutation.sendMessage", MEMBERSHIP, *SEND_STEPS, before=PIPELINE_BEFORE),
    pipeline("Mutation.postSystemMessage", MEMBERSHIP, *SEND_STEPS, before=PIPELINE_BEFORE),
    pipeline(
        "Mutation.editMessage", MEMBERSHIP, LOAD_MESSAGE, "msgEditWrite", before=PIPELINE_BEFORE
    ),
    pipeline(
        "Mutation.refreshAttachments",
        MEMBERSHIP,
        LOAD_MESSAGE,
        "msgRefreshLoadUploads",
        "msgRefreshWrite",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.deleteMessage",
        MEMBERSHIP,
        LOAD_MESSAGE,
        "msgDeleteWrite",
        "uploadsDeleteFiles",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.addReaction", MEMBERSHIP, LOAD_MESSAGE, "msgAddReaction", before=PIPELINE_BEFORE
    ),
    pipeline(
        "Mutation.removeReaction",
        MEMBERSHIP,
        LOAD_MESSAGE,
        "msgRemoveReaction",
        before=PIPELINE_BEFORE,
    ),
    pipeline("Mutation.pinMessage", MEMBERSHIP, LOAD_MESSAGE, "msgPin", before=PIPELINE_BEFORE),
    pipeline("Mutation.unpinMessage", MEMBERSHIP, LOAD_MESSAGE, "msgUnpin", before=PIPELINE_BEFORE),
    pipeline("Mutation.markRead", MEMBERSHIP, LOAD_MESSAGE, "msgMarkRead", before=PIPELINE_BEFORE),
    pipeline("Mutation.createPoll", MEMBERSHIP, *SEND_STEPS, before=PIPELINE_BEFORE),
    pipeline(
        "Mutation.votePoll",
        MEMBERSHIP,
        LOAD_MESSAGE,
        "pollLoadVote",
        "pollVoteWrite",
        "pollReload",
        before=PIPELINE_BEFORE,
    ),
    pipeline("Mutation.closePoll", MEMBERSHIP, LOAD_MESSAGE, "pollClose", before=PIPELINE_BEFORE),
    pipeline(
        "Query.listReadReceipts",
        MEMBERSHIP,
        LOAD_MESSAGE,
        "msgListReadReceipts",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Subscription.onReadReceipt",
        MEMBERSHIP,
        after="messages/Subscription.onReadReceipt.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Subscription.onMessageAdded",
        MEMBERSHIP,
        after="shared/roomSubscription.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Subscription.onMessageUpdated",
        MEMBERSHIP,
        after="shared/roomSubscription.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    Resolver(
        type_name="Message",
        field_name="poll",
        kind="UNIT",
        data_source="NoneDataSource",
        request="messages/Message.poll.request.vtl",
        response="messages/Message.poll.response.vtl",
        description="A POLL message's options with vote counts; null for other messages.",
    ),
    Resolver(
        type_name="Message",
        field_name="reactions",
        kind="UNIT",
        data_source="NoneDataSource",
        request="messages/Message.reactions.request.vtl",
        response="shared/result.vtl",
        description="The stored emoji -> user-id-set map as an ordered [Reaction] list.",
    ),
)
