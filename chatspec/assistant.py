"""The assistant and the toxicity checker, as the stack, the Lambdas and the emulator
share them: environment variable names, limits and identifiers. Plain data.

Both Lambdas are invoked by rules on the stack's bus (`chatspec.events.RULES`), never by
the messages stream, whose two readers per shard are taken (`chatspec/events.py`).
"""

from __future__ import annotations

MODEL_ID_ENV = "ASSISTANT_MODEL_ID"
GUARDRAIL_ID_ENV = "ASSISTANT_GUARDRAIL_ID"
GUARDRAIL_VERSION_ENV = "ASSISTANT_GUARDRAIL_VERSION"
MAX_TOKENS_ENV = "ASSISTANT_MAX_TOKENS"
ROOM_DAILY_TOKENS_ENV = "ASSISTANT_ROOM_DAILY_TOKENS"
USER_REQUESTS_PER_MINUTE_ENV = "ASSISTANT_USER_REQUESTS_PER_MINUTE"
GRAPHQL_URL_ENV = "GRAPHQL_URL"
"""The stack's own GraphQL endpoint, which the backends call with SigV4 (IAM)."""

CLIENT_MESSAGE_ID_PREFIX = "assistant:"
"""The answer's clientMessageId is this + the triggering messageId: postSystemMessage's
retry record makes a replayed event return the first answer instead of a second one."""

SUMMARY_DEFAULT_MESSAGES = 50
SUMMARY_MAX_MESSAGES = 100
"""`@assistant summarize [N]`: the caller's unread messages, or the last N (at most 100:
one Query page)."""
QUESTION_CONTEXT_MESSAGES = 20
"""A question sees the room's last 20 messages the asker may read."""

CLAIM_SECONDS = 120
"""A claim on answering a message; another delivery of the same event may take it over
only after this long (longer than the Lambda's timeout, so never while one still runs)."""

METRICS_NAMESPACE = "realtime-chat"
MODEL_ERRORS_METRIC = "AssistantModelErrors"
"""Counted (EMF, dimension `service`) when Bedrock fails or throttles; alarmed."""

TOXICITY_THRESHOLD = 0.7
"""Comprehend's toxicity score (0 to 1) from which a message is flagged or hidden."""
CHECKER_REPORTER_ID = "moderation:comprehend"
"""The reporterId of the checker's reports (their reportId ends in `.auto`)."""
