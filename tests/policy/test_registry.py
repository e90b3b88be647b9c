"""Policies register where they are defined, carry their metadata, and have tests by name.

`tests/policy/<area>/test_<rule>.py` tests `policy/chat_policies/<area>/<rule>.py`; each
has a violating case (`case.reports`) and a complying one (`case.accepts`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pulumi_policy import ResourceValidationPolicy, Severity

from policy.chat_policies import POLICIES
from policy.chat_policies.registry import (
    PACKAGE_DIR,
    TAGS,
    discover,
    metadata_problems,
    register,
)
from tests.policy.policy_case import TESTS_DIR, mirrored_module, mirrored_test

ENTRIES = discover()
RULE_MODULES = sorted(
    p for p in PACKAGE_DIR.glob("*/*.py") if p.name != "__init__.py" and p.stem != "__main__"
)


def _calls(path: Path) -> set[str]:
    """Names of the `case.<method>(...)` calls in a test file."""
    tree = ast.parse(path.read_text())
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def test_every_rule_module_registers_exactly_one_policy():
    by_module = {}
    for entry in ENTRIES:
        by_module.setdefault(entry.source, []).append(entry.name)
    assert sorted(by_module) == RULE_MODULES
    assert all(len(names) == 1 for names in by_module.values()), by_module


def test_helper_modules_register_nothing():
    rule_sources = {entry.source for entry in ENTRIES}
    assert all(entry.source.parent.parent == PACKAGE_DIR for entry in ENTRIES)
    assert not rule_sources & set(PACKAGE_DIR.glob("*.py"))


def test_the_pack_is_what_discovery_found_in_module_order():
    assert [p.name for p in POLICIES] == [entry.name for entry in ENTRIES]
    assert [entry.module for entry in ENTRIES] == sorted(entry.module for entry in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_policy_has_a_test_file_at_its_mirrored_path(entry):
    test_file = mirrored_test(entry)
    assert test_file.is_file(), f"{entry.name} ({entry.source}) has no tests at {test_file}"
    assert mirrored_module(test_file) == entry.module


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_test_file_has_a_violating_and_a_complying_case(entry):
    calls = _calls(mirrored_test(entry))
    assert {"reports", "accepts"} <= calls, f"{mirrored_test(entry)} calls only {calls}"


def test_every_test_file_in_an_area_mirrors_a_policy_module():
    tested = {mirrored_test(entry) for entry in ENTRIES}
    area_tests = set(TESTS_DIR.glob("*/test_*.py"))
    assert area_tests - tested == set()


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_policy_has_severity_tags_link_and_description(entry):
    policy = entry.policy
    assert metadata_problems(policy) == []
    assert isinstance(policy.severity, Severity)
    assert policy.url.startswith("https://") and "docs" in policy.url
    assert set(policy.tags) <= TAGS
    assert len(policy.description) >= 40 and policy.remediation_steps


def _policy(**changes):
    about = {
        "name": "example-rule",
        "description": "An example rule whose description is long enough to explain itself.",
        "validate": lambda args, report: None,
        "remediation_steps": "do the right thing.",
        "severity": Severity.LOW,
        "tags": ["cost"],
        "url": "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    }
    return ResourceValidationPolicy(**{**about, **changes})


@pytest.mark.parametrize(
    ("changes", "lacking"),
    [
        ({"severity": None}, "a severity"),
        ({"url": None}, "a documentation link"),
        ({"url": "https://example.com/blog"}, "a documentation link"),
        ({"description": "short"}, "a description"),
        ({"remediation_steps": None}, "remediation steps"),
        ({"tags": []}, "one or more tags"),
        ({"tags": ["encryptoin"]}, "one or more tags"),
    ],
)
def test_the_registry_refuses_a_policy_lacking_metadata(changes, lacking):
    with pytest.raises(ValueError, match=lacking):
        register(_policy(**changes), "tests.policy.example")


def test_the_registry_refuses_one_name_in_two_modules():
    taken = ENTRIES[0]
    with pytest.raises(ValueError, match="defined twice"):
        register(_policy(name=taken.name), "tests.policy.elsewhere")
