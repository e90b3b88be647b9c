"""The offline runner: exit status, grouping of the text report, JSON lines shape."""

from __future__ import annotations

import json

import pytest

from policy import offline
from tests.policy.resources import resource


def _broken_prod(stack, config_overrides=None):
    return [
        resource(
            "aws:dynamodb/table:Table",
            stack,
            {"pointInTimeRecovery.enabled": False},
            name="messages",
        ),
        resource(
            "aws:dynamodb/table:Table", stack, {"pointInTimeRecovery.enabled": False}, name="rooms"
        ),
        resource("aws:kms/key:Key", stack, {"description": ""}, name="key"),
    ]


@pytest.fixture
def broken(monkeypatch):
    monkeypatch.setattr(offline, "stack_resources", _broken_prod)


def test_mandatory_violation_fails_and_report_groups_by_policy(broken, capsys):
    assert offline.main(["--stack", "prod"]) == 1
    out = capsys.readouterr().out
    assert out.count("- [mandatory]  dynamodb-point-in-time-recovery") == 1
    block = out.split("- [mandatory]  dynamodb-point-in-time-recovery")[1].split("- [")[0]
    assert "::messages" in block and "::rooms" in block and "Remediation:" in block
    pitr = next(p for p in offline.POLICIES if p.name == "dynamodb-point-in-time-recovery")
    assert f"severity high: {pitr.url}" in block
    assert "- [advisory]  kms-key-description" in out
    assert out.index("[mandatory]") < out.index("[advisory]")


def test_advisory_only_stack_passes(monkeypatch, capsys):
    def advisory_only(stack, config_overrides=None):
        return [resource("aws:kms/key:Key", stack, {"description": ""}, name="key")]

    monkeypatch.setattr(offline, "stack_resources", advisory_only)
    assert offline.main(["--stack", "dev"]) == 0
    assert "0 mandatory, 1 advisory" in capsys.readouterr().out


def test_json_lines_one_object_per_violation_then_summary(broken, capsys):
    assert offline.main(["--stack", "prod", "--json"]) == 1
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    *violations, summary = objects
    by_policy = {}
    for v in violations:
        by_policy.setdefault(v["policy"], []).append(v["resourceName"])
    assert sorted(by_policy.pop("dynamodb-point-in-time-recovery")) == ["messages", "rooms"]
    assert by_policy.pop("kms-key-description") == ["key"]
    assert sorted(by_policy.pop("dynamodb-throttle-alarm")) == ["messages", "rooms"]
    assert by_policy == {}
    assert set(violations[0]) >= {"stack", "policy", "enforcement", "urn", "message"}
    urls = {p.name: p.url for p in offline.POLICIES}
    for v in violations:
        assert v["link"] == urls[v["policy"]] and v["link"].startswith("https://docs.aws")
    assert {v["policy"]: v["severity"] for v in violations} == {
        "dynamodb-point-in-time-recovery": "high",
        "kms-key-description": "low",
        "dynamodb-throttle-alarm": "medium",
    }
    assert summary["summary"] is True
    assert summary["policiesRun"] == len(offline.POLICIES)
    assert summary["violations"] == {"mandatory": 4, "advisory": 1}
    assert summary["stacks"] == ["prod"]


def test_unknown_stack_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        offline.main(["--stack", "staging-nope"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_harness_records_are_adapted_from_dicts_and_objects():
    from types import SimpleNamespace

    record = {
        "type": "aws:kms/key:Key",
        "name": "key",
        "urn": "urn:pulumi:prod::realtime-chat::aws:kms/key:Key::key",
        "inputs": {"enableKeyRotation": True},
        "outputs": {"arn": "arn:key"},
        "options": SimpleNamespace(protect=True, parent=None),
    }
    adapted = offline.to_resource(record)
    assert adapted.protect and adapted.outputs["arn"] == "arn:key"
    assert offline.to_resource(SimpleNamespace(**record)) == adapted
