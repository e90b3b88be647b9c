"""Memory measurements in an interpreter of their own.

`tracemalloc` counts every allocation of the process: in a pytest-xdist worker that has run
hundreds of tests, another test's leftover thread, or the interned-string table growing
past a resize, lands inside the measured window (CI once saw 5,056 bytes a document where
a clean process holds 1,310). A spawned process has none of that, so what is measured is
only what the code under test holds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")

FRESH_INTERPRETER_TIMEOUT_SECONDS = 120


def in_fresh_interpreter(measure: Callable[[], T]) -> T:
    """What `measure` (a module-level function) returns when run in a newly spawned
    interpreter; its exceptions are raised here."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure).result(timeout=FRESH_INTERPRETER_TIMEOUT_SECONDS)


def traced_bytes(run: Callable[[], object]) -> int:
    """Bytes still allocated after `run()` returns, as tracemalloc counts them."""
    import tracemalloc

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
