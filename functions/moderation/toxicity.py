"""Amazon Comprehend's toxicity detection over a whole message.

DetectToxicContent takes at most 10 text segments of at most 1 KB each (10 KB per call,
`chatspec.aws_limits.COMPREHEND_TOXIC_SEGMENTS` / `COMPREHEND_TOXIC_SEGMENT_BYTES`); a
message holds up to 4,000 UTF-16 units, up to 16,000 UTF-8 bytes, so it is cut on
character boundaries into segments of at most 1,000 bytes (whitespace preferred), sent
10 per call. A message is as toxic as its most toxic segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chatspec.aws_limits import COMPREHEND_TOXIC_SEGMENT_BYTES, COMPREHEND_TOXIC_SEGMENTS

LANGUAGE_CODE = "en"
SEGMENT_BYTES = 1000
"""Under the documented 1 KB whichever way AWS counts a KB."""


@dataclass(frozen=True)
class Toxicity:
    score: float
    labels: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        top = sorted(self.labels.items(), key=lambda kv: -kv[1])[:3]
        named = ", ".join(f"{name} {value:.2f}" for name, value in top if value >= 0.1)
        return f"toxicity {self.score:.2f}" + (f" ({named})" if named else "")


def segments(text: str, limit: int = SEGMENT_BYTES) -> list[str]:
    if limit > COMPREHEND_TOXIC_SEGMENT_BYTES.value:
        raise ValueError("a segment may not exceed Comprehend's limit")
    pieces: list[str] = []
    current: list[str] = []
    size, last_space = 0, -1
    for character in text:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            if last_space > 0:
                pieces.append("".join(current[:last_space]))
                current = current[last_space:]
            else:
                pieces.append("".join(current))
                current = []
            size = sum(len(c.encode("utf-8")) for c in current)
            last_space = -1
        current.append(character)
        size += width
        if character.isspace():
            last_space = len(current)
    if current:
        pieces.append("".join(current))
    return [piece for piece in pieces if piece.strip()]


def detect(comprehend: Any, text: str) -> Toxicity:
    parts = segments(text)
    best = Toxicity(0.0)
    per_call = COMPREHEND_TOXIC_SEGMENTS.value
    for start in range(0, len(parts), per_call):
        batch = parts[start : start + per_call]
        response = comprehend.detect_toxic_content(
            TextSegments=[{"Text": part} for part in batch], LanguageCode=LANGUAGE_CODE
        )
        for result in response.get("ResultList", []):
            score = float(result.get("Toxicity", 0.0))
            if score > best.score:
                best = Toxicity(
                    score,
                    {label["Name"]: float(label["Score"]) for label in result.get("Labels", [])},
                )
    return best
