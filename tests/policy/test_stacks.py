"""The pack over the real program under mocks: dev and prod comply; a broken setting does not."""

from __future__ import annotations

import pytest

import chatspec
from policy import offline
from tests.support.stack_runs import stack_run


@pytest.fixture(scope="module")
def stack_findings():
    findings = {}
    for stack in ("dev", "prod"):
        resources = [offline.to_resource(r) for r in stack_run(stack).resources]
        findings[stack] = offline.evaluate(stack, resources, offline.POLICIES), len(resources)
    return findings


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_has_no_mandatory_violation(stack_findings, stack):
    findings, resources = stack_findings[stack]
    assert resources > 50
    mandatory = [
        f"{f.policy}: {f.urn}: {f.message}" for f in findings if f.enforcement == "mandatory"
    ]
    assert mandatory == []


def test_prod_without_pitr_is_refused(monkeypatch, capsys):
    real = offline.stack_resources
    monkeypatch.setattr(
        offline,
        "stack_resources",
        lambda stack, overrides=None: real(stack, {"pointInTimeRecovery": False}),
    )
    assert offline.main(["--stack", "prod"]) == 1
    out = capsys.readouterr().out
    block = out.split("- [mandatory]  dynamodb-point-in-time-recovery")[1].split("\n        - [")[0]
    assert block.count("aws:dynamodb/table:Table::") == len(chatspec.TABLES)


def test_dev_without_pitr_is_fine(monkeypatch):
    findings, _ = offline.check_stack("dev", {"pointInTimeRecovery": False})
    assert not [f for f in findings if f.policy == "dynamodb-point-in-time-recovery"]
