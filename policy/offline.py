"""`python -m policy.offline [--stack NAME]... [--json]`: the pack over each mocked stack.

For CI and laptops without the Pulumi CLI: each stack's program runs under Pulumi mocks
(the unit-test harness `stackrun.stack.run_stack`), every recorded resource goes
through every resource policy and the whole stack through the stack policies, and the
report is printed grouped by policy. Exit status 1 when any mandatory policy is
violated, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from policy.chat_policies import POLICIES
from policy.evaluation import Finding, Resource, evaluate
from policy.report import as_json_lines, as_text

PROJECT_DIR = Path(__file__).resolve().parent.parent


def known_stacks() -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in PROJECT_DIR.glob("Pulumi.*.yaml"))


def _field(record: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(record, Mapping) and name in record:
            return record[name]
        if hasattr(record, name):
            return getattr(record, name)
    return default


def to_resource(record: Any) -> Resource:
    """A harness record (object or dict) as the evaluator's `Resource`."""
    options = _field(record, "options", "opts", default=None) or record
    return Resource(
        type=_field(record, "type", "type_", "typ", "resource_type"),
        name=_field(record, "name"),
        urn=_field(record, "urn"),
        inputs=dict(_field(record, "inputs", "props", default={}) or {}),
        outputs=dict(_field(record, "outputs", "state", default={}) or {}),
        protect=bool(_field(options, "protect", default=False)),
        parent=_field(options, "parent", default=None),
    )


def stack_resources(
    stack: str, config_overrides: Mapping[str, Any] | None = None
) -> list[Resource]:
    from stackrun.stack import run_stack

    recorded = run_stack(stack, config_overrides=config_overrides)
    records = _field(recorded, "resources", default=recorded)
    return [to_resource(record) for record in records]


def check_stack(
    stack: str, config_overrides: Mapping[str, Any] | None = None
) -> tuple[list[Finding], int]:
    resources = stack_resources(stack, config_overrides)
    return evaluate(stack, resources, POLICIES), len(resources)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy.offline", description=__doc__)
    parser.add_argument(
        "--stack",
        action="append",
        choices=known_stacks(),
        help="stack to check (repeatable; default: every Pulumi.<stack>.yaml)",
    )
    parser.add_argument("--json", action="store_true", help="JSON lines instead of text")
    options = parser.parse_args(argv)
    stacks = options.stack or known_stacks()
    if not stacks:
        parser.error(f"no Pulumi.<stack>.yaml in {PROJECT_DIR}")

    findings: list[Finding] = []
    for stack in stacks:
        stack_findings, resource_count = check_stack(stack)
        findings.extend(stack_findings)
        if not options.json:
            print(as_text(stack_findings, stack, len(POLICIES), resource_count))
    if options.json:
        print(as_json_lines(findings, stacks, len(POLICIES)))
    return 1 if any(f.enforcement == "mandatory" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
