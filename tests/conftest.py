"""Settings of the test processes themselves (each pytest-xdist worker loads this file)."""

from __future__ import annotations

import gc

import pytest

GC_THRESHOLDS = (10_000, 20, 100)
"""Python's cyclic garbage collector, tuned for a test process's large long-lived heap
(botocore's service models, moto's backends, Pulumi, the cached stack runs).

With CPython's default thresholds (700, 10, 10) the collector walked that whole heap every
few seconds of work: in `tests/api/test_members.py`, `test_rooms.py` and
`tests/unit/test_account.py` it took 9.4 of 38 s, a full collection a quarter of a second
each. These collect the youngest generation after 10,000 allocations instead of 700 and
the oldest a tenth as often (those tests: 27 s, for about 8 % more memory). Garbage is
still collected, in larger batches.

The emulator keeps CPython's defaults: with these thresholds it gained about 5 % on the
authorization matrix, and `bench/volume.py`'s memory figure is the one to watch there."""

gc.set_threshold(*GC_THRESHOLDS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that drive a running emulator (marked `e2e`) first, the rest after, each
    group in the order collected. `make test` hands files to the xdist workers in this
    order (`--no-loadscope-reorder`): the longest files start first and the many short
    in-process ones fill the end, so neither worker is left running one long file alone.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
