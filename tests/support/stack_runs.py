"""Each stack's program under mocks, run once per test process and shared read-only.

A run costs two to five seconds; the unit, contract and policy tests all read the plain
dev and prod runs, and each pytest-xdist worker would otherwise repeat them per module.
Runs with overrides or monkeypatched specs are not shared: call `run_stack` for those.
"""

from __future__ import annotations

from functools import cache

from stackrun.stack import StackRun, run_stack


@cache
def stack_run(stack: str) -> StackRun:
    return run_stack(stack)
