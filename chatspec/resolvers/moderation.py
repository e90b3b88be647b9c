"""Resolver wiring: reports, hidden messages and the audit trail of moderator actions.

All of it is VTL: every step is one DynamoDB request, and every write that records a
moderator action puts its audit entry in the SAME TransactWriteItems as the action, so an
action can never happen without its entry (nor an entry without its action).

- reportMessage: access.may.read, not backends (so not banned users); writes
  `report#OPEN#<messageId>.<reporterId>` once per reporter and message.
- listReports, resolveReport (OPEN deleted + RESOLVED put + audit): access.may.moderate.
- hideMessage (content moved aside + hiddenAt + audit): access.may.moderate, or a backend
  (the toxicity checker, IAM).
- unhideMessage (content restored + audit): access.may.moderate.
- moderationLog: access.may.manageMembers (the room's admins).

A hidden message keeps its content in `hiddenContent`, which no GraphQL type exposes and
the indexer does not index: members' reads, subscriptions (hideMessage publishes the
message without content on onMessageUpdated) and search never show it; moderators read
it in the report's `messageContent` snapshot. Reviewing it is unhideMessage (show it
again) or deleteMessage (remove it), and resolveReport records the decision.
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, pipeline, step
from chatspec.resolvers.messages import LOAD_MESSAGE

REPORT_PREFIX = "report#"
AUDIT_PREFIX = "audit#"
AUTOMATIC_REPORTER = "auto"
"""The reporter part of the checker's reportId (`<messageId>.auto`)."""
AUDIT = Grant("moderation", ("dynamodb:PutItem",))


def _moderation(*actions: str) -> Grant:
    return Grant("moderation", tuple(f"dynamodb:{a}" for a in actions))


FUNCTIONS: tuple[PipelineFunction, ...] = (
    step(
        "modReportMessage",
        "ModerationTable",
        (_moderation("PutItem"),),
        "reportMessage: one open report per reporter and message, with a content snapshot.",
    ),
    step(
        "modListReports",
        "ModerationTable",
        (_moderation("Query"),),
        "listReports: moderators; the room's reports of one status, oldest message first.",
    ),
    step(
        "modLoadReport",
        "ModerationTable",
        (_moderation("GetItem"),),
        "resolveReport: moderators; the open report, NotFound when there is none.",
    ),
    step(
        "modResolveReport",
        "ModerationTable",
        (_moderation("PutItem", "DeleteItem"),),
        "resolveReport: OPEN -> RESOLVED and the audit entry, one transaction.",
    ),
    step(
        "modHideMessage",
        "MessagesTable",
        (Grant("messages", ("dynamodb:UpdateItem",)), AUDIT),
        "hideMessage: content moved aside, version + 1, audit entry, one transaction.",
    ),
    step(
        "modUnhideMessage",
        "MessagesTable",
        (Grant("messages", ("dynamodb:UpdateItem",)), AUDIT),
        "unhideMessage: content restored, version + 1, audit entry, one transaction.",
    ),
    step(
        "modListAudit",
        "ModerationTable",
        (_moderation("Query"),),
        "moderationLog: the room's admins; newest moderator action first.",
    ),
)

RESOLVERS: tuple[Resolver, ...] = (
    pipeline("Mutation.reportMessage", MEMBERSHIP, "modReportMessage", before=PIPELINE_BEFORE),
    pipeline("Query.listReports", MEMBERSHIP, "modListReports", before=PIPELINE_BEFORE),
    pipeline(
        "Mutation.resolveReport",
        MEMBERSHIP,
        "modLoadReport",
        "modResolveReport",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.hideMessage", MEMBERSHIP, LOAD_MESSAGE, "modHideMessage", before=PIPELINE_BEFORE
    ),
    pipeline(
        "Mutation.unhideMessage",
        MEMBERSHIP,
        LOAD_MESSAGE,
        "modUnhideMessage",
        before=PIPELINE_BEFORE,
    ),
    pipeline("Query.moderationLog", MEMBERSHIP, "modListAudit", before=PIPELINE_BEFORE),
)
