"""Settings of the test processes themselves (each pytest-xdist worker loads this file)."""

from __future__ import annotations

import pytest

from emulator import gc_tuning

gc_tuning.tune()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that drive a running emulator (marked `e2e`) first, the rest after, each
    group in the order collected. `make test` hands files to the xdist workers in this
    order (`--no-loadscope-reorder`): the longest files start first and the many short
    in-process ones fill the end, so neither worker is left running one long file alone.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
