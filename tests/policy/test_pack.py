"""The pack as the Pulumi CLI loads it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from policy.chat_policies import POLICIES
from policy.chat_policies.tagging.required_tags import TAGGABLE_TYPES

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"


def test_pack_has_at_least_25_distinct_policies_with_levels():
    names = [p.name for p in POLICIES]
    assert len(names) >= 25 and len(set(names)) == len(names)
    levels = {p.enforcement_level for p in POLICIES}
    assert levels <= {EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY}
    assert any(isinstance(p, StackValidationPolicy) for p in POLICIES)
    for policy in POLICIES:
        assert len(policy.description) > 40, policy.name
        assert policy.remediation_steps, policy.name


def test_main_holds_only_the_policy_pack_call():
    tree = ast.parse((POLICY_DIR / "__main__.py").read_text())
    statements = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)]
    assert len(statements) == 1
    call = statements[0].value
    assert isinstance(call, ast.Call) and call.func.id == "PolicyPack"


def test_project_file_declares_a_python_pack_with_its_own_requirements():
    project = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    requirements = (POLICY_DIR / "requirements.txt").read_text()
    assert "pulumi-policy==" in requirements and "pulumi==" in requirements


def test_one_policy_per_module():
    definition = re.compile(r"^POLICY = ", re.MULTILINE)
    texts = [p.read_text() for p in (POLICY_DIR / "chat_policies").rglob("*.py")]
    counts = [len(definition.findall(text)) for text in texts]
    assert sorted(set(counts)) == [0, 1]
    assert sum(counts) == len(POLICIES)


def test_taggable_types_take_tags_in_pulumi_aws():
    """Each type the tag policy checks really has a `tags` argument in pulumi-aws."""
    import importlib

    for token in TAGGABLE_TYPES:
        service, _module, resource = re.fullmatch(r"aws:(\w+)/(\w+):(\w+)", token).groups()
        package = importlib.import_module(
            f"pulumi_aws.{'lambda_' if service == 'lambda' else service}"
        )
        args_class = getattr(package, f"{resource}Args")
        assert hasattr(args_class, "tags"), token


def test_resource_and_stack_policies_are_both_present():
    kinds = {type(p) for p in POLICIES}
    assert kinds == {ResourceValidationPolicy, StackValidationPolicy}
