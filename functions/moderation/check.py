"""The toxicity check of one new or edited message, by the room's moderationLevel.

NONE: nothing is called. FLAG: a toxic message becomes an AUTOMATIC report that moderators
see in listReports. HIDE: the same report, then hideMessage over IAM, which hides the
content from members at once (and publishes the hidden message on onMessageUpdated) and
records the action in the audit trail in its own transaction.

Replays are harmless: the report is written only if the message has no open automatic
report (a conditional put), and hiding a message already hidden is a Conflict that means
"done".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from chatspec import room_settings
from chatspec.assistant import CHECKER_REPORTER_ID, TOXICITY_THRESHOLD
from chatspec.resolvers.moderation import AUTOMATIC_REPORTER
from functions.common.graphql_iam import GraphQLRefused
from functions.moderation.toxicity import Toxicity, detect

HIDE = """mutation Hide($roomId: ID!, $messageId: ID!, $reason: String) {
  hideMessage(roomId: $roomId, messageId: $messageId, reason: $reason) {
    roomId messageId authorId content type createdAt replyTo clientMessageId isEdited
    editedAt isDeleted pinned version hiddenAt reactions { emoji count userIds } } }"""


@dataclass(frozen=True)
class Outcome:
    status: str
    """skipped (level NONE, no room, no content), clean, flagged or hidden."""
    toxicity: float | None = None


@dataclass
class Checker:
    rooms: Any
    moderation: Any
    comprehend: Any
    api: Any
    now: Callable[[], datetime]

    def handle(self, detail: dict[str, Any]) -> Outcome:
        room_id, message_id = detail.get("roomId"), detail.get("messageId")
        content = detail.get("content")
        if not isinstance(room_id, str) or not isinstance(message_id, str):
            return Outcome("skipped")
        if not isinstance(content, str) or not content.strip():
            return Outcome("skipped")
        room = self.rooms.get_item(Key={"roomId": room_id}).get("Item")
        if not room:
            return Outcome("skipped")
        level = room_settings.effective(room).get("moderationLevel")
        if level not in ("FLAG", "HIDE"):
            return Outcome("skipped")
        toxicity = detect(self.comprehend, content)
        if toxicity.score < TOXICITY_THRESHOLD:
            return Outcome("clean", toxicity.score)
        self._report(room_id, message_id, detail, content, toxicity)
        if level == "HIDE":
            self._hide(room_id, message_id, toxicity)
            return Outcome("hidden", toxicity.score)
        return Outcome("flagged", toxicity.score)

    def _report(
        self, room_id: str, message_id: str, detail: dict, content: str, toxicity: Toxicity
    ) -> None:
        report_id = f"{message_id}.{AUTOMATIC_REPORTER}"
        item = {
            "roomId": room_id,
            "entryKey": f"report#OPEN#{report_id}",
            "reportId": report_id,
            "messageId": message_id,
            "messageAuthorId": detail.get("authorId") or "unknown",
            "reporterId": CHECKER_REPORTER_ID,
            "source": "AUTOMATIC",
            "reason": toxicity.describe(),
            "status": "OPEN",
            "createdAt": self.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "messageContent": content,
            "toxicity": Decimal(str(round(toxicity.score, 4))),
        }
        try:
            self.moderation.put_item(
                Item=item, ConditionExpression="attribute_not_exists(entryKey)"
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def _hide(self, room_id: str, message_id: str, toxicity: Toxicity) -> None:
        try:
            self.api.execute(
                HIDE, {"roomId": room_id, "messageId": message_id, "reason": toxicity.describe()}
            )
        except GraphQLRefused as refused:
            if refused.error_type not in ("Conflict", "NotFound"):
                raise
