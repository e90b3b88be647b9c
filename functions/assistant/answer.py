"""One message addressed to the assistant, from the bus event to the answer in the room.

Order matters: the claim comes first (a replayed or retried event stops there and costs
nothing), then the asker's rate, then the room's budget, then the model. Every outcome
the asker should know about is a message in the room, posted with postSystemMessage and
`replyTo` the question: the answer (AI_RESPONSE), or why there is none (SYSTEM: rate,
budget, a malformed command, the model failing or throttled). Its clientMessageId is
derived from the question, so even a second post of the same outcome returns the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chatspec.assistant import (
    CLIENT_MESSAGE_ID_PREFIX,
    QUESTION_CONTEXT_MESSAGES,
    SUMMARY_DEFAULT_MESSAGES,
)
from chatspec.rules import CONTENT_MAX_LENGTH
from functions.assistant import budget, context
from functions.assistant.commands import Command, parse
from functions.assistant.model import ModelConfig, converse, estimated_tokens, user_prompt

POST = """mutation Answer($input: SystemMessageInput!) {
  postSystemMessage(input: $input) { roomId messageId authorId content type replyTo
    clientMessageId createdAt isEdited isDeleted pinned version
    reactions { emoji count userIds } } }"""
THROTTLED_CODES = frozenset({"ThrottlingException", "ServiceQuotaExceededException"})
ELLIPSIS = "…"


@dataclass(frozen=True)
class Outcome:
    status: str
    """answered, refused, failed, silent (not for the assistant) or replayed."""
    message_id: str | None = None
    tokens: int = 0


@dataclass
class Assistant:
    tables: context.Tables
    bedrock: Any
    api: Any
    """Anything with `execute(query, variables) -> data` (functions.common.graphql_iam)."""
    config: ModelConfig
    limits: budget.Limits
    count_model_error: Callable[[str], None]
    now: Callable[[], datetime]

    def handle(self, detail: dict[str, Any]) -> Outcome:
        asker = context.asker_may_be_answered(self.tables, detail)
        if asker is None:
            return Outcome("silent")
        message = asker.message
        moment = self.now()
        if not budget.claim(self.tables.usage, message["messageId"], moment):
            return Outcome("replayed")
        outcome = self._respond(asker, parse(message["content"]), moment)
        budget.answered(self.tables.usage, message["messageId"], self.now())
        return outcome

    def _respond(self, asker: context.Asker, command: Command, moment: datetime) -> Outcome:
        message = asker.message
        if command.problem:
            return self._post(
                message, f"The assistant did not understand: {command.problem}.", "refused"
            )
        if not budget.take_user_request(
            self.tables.usage, message["authorId"], self.limits, moment
        ):
            return self._post(
                message,
                f"You have asked the assistant {self.limits.user_requests_per_minute} times "
                "in the last minute. Please wait a minute and ask again.",
                "refused",
            )
        material = self._material(asker, command)
        if material is None:
            return self._post(
                message,
                "The assistant translates the message you reply to: reply to a message "
                "with `@assistant translate <language>`.",
                "refused",
            )
        prompt = user_prompt(command, material)
        reserved = estimated_tokens(self.config, prompt)
        if not budget.reserve_tokens(
            self.tables.usage, message["roomId"], reserved, self.limits, moment
        ):
            return self._post(
                message,
                "This room has used the assistant's budget for today. It will answer "
                "again tomorrow (UTC).",
                "refused",
            )
        try:
            answer = converse(self.bedrock, self.config, prompt)
        except (ClientError, BotoCoreError) as error:
            budget.correct_tokens(self.tables.usage, message["roomId"], -reserved, moment)
            code = (
                error.response.get("Error", {}).get("Code", "Unknown")
                if isinstance(error, ClientError)
                else type(error).__name__
            )
            self.count_model_error(code)
            why = (
                "the model is busy right now"
                if code in THROTTLED_CODES
                else "the model service failed"
            )
            return self._post(
                message, f"The assistant could not answer: {why}. Please try again later.", "failed"
            )
        budget.correct_tokens(
            self.tables.usage, message["roomId"], answer.total_tokens - reserved, moment
        )
        text = answer.text or "The assistant has no answer to that."
        return self._post(message, text, "answered", kind="AI_RESPONSE", tokens=answer.total_tokens)

    def _material(self, asker: context.Asker, command: Command) -> list[dict[str, Any]] | None:
        message = asker.message
        if command.kind == "translate":
            target = context.replied_to(self.tables, asker)
            return None if target is None else [target]
        if command.kind == "summarize":
            if command.count is not None:
                return context.recent(
                    self.tables, message["roomId"], message["messageId"], command.count
                )
            return context.unread(self.tables, asker, SUMMARY_DEFAULT_MESSAGES)
        return context.recent(
            self.tables, message["roomId"], message["messageId"], QUESTION_CONTEXT_MESSAGES
        )

    def _post(
        self,
        question: dict[str, Any],
        text: str,
        status: str,
        *,
        kind: str = "SYSTEM",
        tokens: int = 0,
    ) -> Outcome:
        data = self.api.execute(
            POST,
            {
                "input": {
                    "roomId": question["roomId"],
                    "content": fit(text),
                    "type": kind,
                    "replyTo": question["messageId"],
                    "clientMessageId": f"{CLIENT_MESSAGE_ID_PREFIX}{question['messageId']}",
                }
            },
        )
        return Outcome(status, data["postSystemMessage"]["messageId"], tokens)


def fit(text: str) -> str:
    """At most the API's content length in UTF-16 code units (as the templates count),
    cut with an ellipsis."""
    text = text.strip()
    if _units(text) <= CONTENT_MAX_LENGTH:
        return text
    kept, units = [], 0
    for character in text:
        units += _units(character)
        if units > CONTENT_MAX_LENGTH - len(ELLIPSIS):
            break
        kept.append(character)
    return "".join(kept).rstrip() + ELLIPSIS


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
