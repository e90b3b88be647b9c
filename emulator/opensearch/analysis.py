"""The stand-in's only analyzer: lowercase word tokens with their character offsets.

Close to OpenSearch's `standard` analyzer for chat text (words split on anything that
is not a letter, digit or underscore); no stemming and no stop words, as `standard`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Token:
    term: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def terms(text: str) -> list[str]:
    return [token.term for token in tokens(text)]
