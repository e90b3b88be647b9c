"""How a call's result is classified for the authorization matrix, and the printed table.

Classification is exact, never "anything but Unauthorized":

- `A` (allowed): the call returned without errors (a subscription got `start_ack`);
- `D` (denied): the first error's errorType is `Unauthorized` (our resolvers) or
  `UnauthorizedException` (AppSync refusing missing or rejected credentials, over HTTP
  with status 401 or on the WebSocket as `connection_error`);
- `H` (hidden): no error, but the answer withholds the thing asked for (a null profile);
- any other errorType is kept as it is (`NotFound`, `Conflict`, ...). A cell may expect
  such a type where the rules let the caller through but the state refuses the request
  (the owner leaving without handing ownership over is `Conflict`); anywhere else it is a
  mismatch, so a broken setup or a resolver failing for another reason never passes as a
  denial.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ALLOWED = "A"
DENIED = "D"
HIDDEN = "H"
"""Allowed, but the answer withholds what was asked (getUsers: null for that profile)."""
AUTHORIZATION_ERROR_TYPES = frozenset({"Unauthorized", "UnauthorizedException"})


@dataclass(frozen=True)
class Outcome:
    verdict: str
    detail: str = ""


def from_errors(errors: list[dict[str, Any]] | None) -> Outcome:
    if not errors:
        return Outcome(ALLOWED, "A (no error)")
    first = errors[0]
    error_type = str(first.get("errorType") or "no errorType")
    detail = f"{error_type}: {first.get('message')}"
    if error_type in AUTHORIZATION_ERROR_TYPES:
        return Outcome(DENIED, detail)
    return Outcome(error_type, detail)


def render(
    expected: dict[str, dict[str, str]],
    actual: dict[str, dict[str, Outcome]],
    columns: tuple[str, ...],
) -> str:
    """The whole table; a mismatching cell reads `expected>actual` and is starred."""
    rows = list(expected)
    width = max(len(row) for row in rows)
    cells: dict[str, list[str]] = {}
    for row in rows:
        cells[row] = []
        for column in columns:
            want = expected[row][column]
            got = actual[row][column].verdict
            cells[row].append(want if got == want else f"*{want}>{got}")
    widths = [max(len(c), *(len(cells[r][i]) for r in rows)) for i, c in enumerate(columns)]
    lines = [" | ".join([" " * width, *(c.ljust(w) for c, w in zip(columns, widths, strict=True))])]
    for row in rows:
        padded = (cell.ljust(w) for cell, w in zip(cells[row], widths, strict=True))
        lines.append(" | ".join([row.ljust(width), *padded]))
    details = [
        f"  {row} / {column}: expected {expected[row][column]}, got {actual[row][column].detail}"
        for row in rows
        for column in columns
        if actual[row][column].verdict != expected[row][column]
    ]
    return "\n".join([*lines, "", "mismatches (* above):", *details])
