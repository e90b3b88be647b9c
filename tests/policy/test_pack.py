"""The pack as the Pulumi CLI loads it, and the whole pack over resources that comply."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import yaml
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from policy.chat_policies import POLICIES
from policy.chat_policies.tagging.required_tags import TAGGABLE_TYPES
from policy.evaluation import evaluate
from tests.policy.resources import PROPS, resource
from tests.policy.whole_stack import whole_stack

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"


def test_pack_has_at_least_25_distinct_policies_with_levels():
    names = [p.name for p in POLICIES]
    assert len(names) >= 25 and len(set(names)) == len(names)
    levels = {p.enforcement_level for p in POLICIES}
    assert levels <= {EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY}


def test_resource_and_stack_policies_are_both_present():
    assert {type(p) for p in POLICIES} == {ResourceValidationPolicy, StackValidationPolicy}


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


def test_the_pack_imports_as_the_cli_loads_it(monkeypatch):
    """The CLI runs `__main__.py` from `policy/`, so the package is `chat_policies` there."""
    monkeypatch.syspath_prepend(str(POLICY_DIR))
    for name in [m for m in list(importlib.sys.modules) if m.split(".")[0] == "chat_policies"]:
        monkeypatch.delitem(importlib.sys.modules, name)
    pack = importlib.import_module("chat_policies")
    assert [p.name for p in pack.POLICIES] == [p.name for p in POLICIES]


def test_taggable_types_take_tags_in_pulumi_aws():
    """Each type the tag policy checks really has a `tags` argument in pulumi-aws."""
    for token in TAGGABLE_TYPES:
        service, _module, resource_name = re.fullmatch(r"aws:(\w+)/(\w+):(\w+)", token).groups()
        package = importlib.import_module(
            f"pulumi_aws.{'lambda_' if service == 'lambda' else service}"
        )
        args_class = getattr(package, f"{resource_name}Args")
        assert hasattr(args_class, "tags"), token


def test_complying_resources_pass_the_whole_pack():
    resource_policies = [p for p in POLICIES if isinstance(p, ResourceValidationPolicy)]
    subjects = [resource(t, "prod", name=f"r{i}") for i, t in enumerate(PROPS)]
    assert evaluate("prod", subjects, resource_policies) == []


def test_the_complying_stack_passes_every_policy():
    assert evaluate("prod", whole_stack(), POLICIES) == []
