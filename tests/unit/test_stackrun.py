"""run_stack must not inherit an earlier program's unfinished outputs (it would wait forever)."""

from __future__ import annotations

import asyncio

from pulumi.runtime import settings as pulumi_settings

from stackrun.stack import run_stack


def test_a_stack_run_forgets_outputs_left_pending_by_an_earlier_program() -> None:
    stale_loop = asyncio.new_event_loop()
    stale = stale_loop.create_future()
    stale_loop.close()
    pulumi_settings.SETTINGS.outputs.add(stale)

    run = run_stack("dev")

    assert stale not in pulumi_settings.SETTINGS.outputs
    assert run.outputs["graphqlUrl"]
