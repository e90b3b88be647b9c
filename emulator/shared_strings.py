"""One copy of each short string for everything in the emulator's process.

moto's items and the search stand-in's documents hold the same room ids, user ids, enum
values and short message texts, each parsed from its own JSON; at 100,000 messages the
copies were tens of MB. `shared` hands every component the one
interned copy (`sys.intern`), up to `SHARED_STRING_LENGTH` characters: most chat messages
are shorter, and longer text is rarely repeated.
"""

from __future__ import annotations

import sys
from typing import Any

SHARED_STRING_LENGTH = 64


def shared(value: Any) -> Any:
    """`value`, or the process's one copy of it when it is a short string."""
    if type(value) is str and len(value) <= SHARED_STRING_LENGTH:
        return sys.intern(value)
    return value
