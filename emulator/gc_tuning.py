"""Python's cyclic garbage collector, tuned for processes with large long-lived heaps.

The emulator holds botocore's service models, moto's backends and every stored item; a
test process also holds Pulumi's and the cached stack runs. With CPython's default
thresholds (700, 10, 10) the collector walks that whole heap every few seconds of work:
in `tests/api/test_members.py`, `test_rooms.py` and `tests/unit/test_account.py` it took
9.4 of 38 s, a full collection a quarter of a second each. `THRESHOLDS` collect the
youngest generation after 10,000 allocations instead of 700 and the oldest a tenth as
often (those tests: 27 s, for about 8 % more memory); `freeze_startup` moves what start-up
built (modules, models, empty tables) out of the collector's sight for good, as
`gc.freeze` is documented to be used. Garbage is still collected, in larger batches.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 20, 100)


def tune() -> None:
    gc.set_threshold(*THRESHOLDS)


def freeze_startup() -> None:
    """After start-up: collect once, then keep the survivors out of later collections."""
    gc.collect()
    gc.freeze()
