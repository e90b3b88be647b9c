"""What a message addressed to the assistant asks for.

`@assistant summarize [N]`, `@assistant translate <language>` (in reply to the message to
translate), anything else after `@assistant` is a question. Parsed by hand: three words
of grammar need no parser library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from chatspec.assistant import SUMMARY_MAX_MESSAGES
from chatspec.events import ASSISTANT_PREFIX

Kind = Literal["question", "summarize", "translate", "help"]
LANGUAGE = re.compile(r"^[^\W\d_][^\W\d_ '-]*(?:[ '-][^\W\d_]+){0,3}$")
"""A language name in any script: up to four words of letters (`Brazilian Portuguese`)."""


@dataclass(frozen=True)
class Command:
    kind: Kind
    text: str = ""
    count: int | None = None
    language: str | None = None
    problem: str | None = None
    """Set when the command is malformed; the assistant says so instead of calling a model."""


def parse(content: str) -> Command:
    rest = content[len(ASSISTANT_PREFIX) :] if content.startswith(ASSISTANT_PREFIX) else content
    if rest and not rest[0].isspace() and rest[0] not in ",:":
        return Command("help", problem="address the assistant as `@assistant <question>`")
    rest = rest.lstrip(",: \t\n").strip()
    if not rest:
        return Command(
            "help", problem="ask a question after @assistant, or use summarize or translate"
        )
    word, _, tail = rest.partition(" ")
    tail = tail.strip()
    if word.lower() == "summarize":
        if not tail:
            return Command("summarize")
        if not tail.isdigit() or not 1 <= int(tail) <= SUMMARY_MAX_MESSAGES:
            return Command(
                "summarize",
                problem=f"summarize takes a number of messages from 1 to {SUMMARY_MAX_MESSAGES}",
            )
        return Command("summarize", count=int(tail))
    if word.lower() == "translate":
        if not tail or not LANGUAGE.match(tail) or len(tail) > 40:
            return Command("translate", problem="say which language: `@assistant translate French`")
        return Command("translate", language=tail)
    return Command("question", text=rest)
