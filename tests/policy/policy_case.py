"""The policy a test file is about, found from the file's own path, and its two kinds of case.

`tests/policy/<area>/test_<rule>.py` tests `policy/chat_policies/<area>/<rule>.py` (and
`test_registry.py` holds every policy module to that layout), so a test file names no
policy: `PolicyCase(__file__, resource_type)` looks it up in the registry by the module
its path mirrors. `reports(...)` is a violating case, `accepts(...)` a complying one; each
takes changes to the complying resource of `resource_type` (`tests.policy.resources`), a
`Resource`, or a whole list of resources (a stack).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pulumi_policy import ResourceValidationPolicy

from policy.chat_policies.registry import Registered, discover
from policy.evaluation import Finding, Resource, enforcement_of, evaluate
from tests.policy.resources import resource

TESTS_DIR = Path(__file__).resolve().parent

Subject = Mapping[str, Any] | Resource | Sequence[Resource]


def mirrored_module(test_file: str | Path) -> str:
    """`tests/policy/kms/test_rotation.py` -> `kms.rotation`."""
    area, name = Path(test_file).resolve().relative_to(TESTS_DIR).parts
    return f"{area}.{name.removeprefix('test_').removesuffix('.py')}"


def mirrored_test(entry: Registered) -> Path:
    """`kms.rotation` -> `tests/policy/kms/test_rotation.py`."""
    area, rule = entry.module.split(".")
    return TESTS_DIR / area / f"test_{rule}.py"


class PolicyCase:
    def __init__(self, test_file: str, resource_type: str | None = None):
        module = mirrored_module(test_file)
        found = [entry for entry in discover() if entry.module == module]
        assert len(found) == 1, f"{test_file} mirrors {module}, which defines {len(found)} policies"
        self.policy = found[0].policy
        self.resource_type = resource_type

    def _resources(self, subject: Subject, stack: str, protect: bool) -> list[Resource]:
        if isinstance(subject, Resource):
            return [subject]
        if isinstance(subject, Mapping):
            assert self.resource_type, "changes need the PolicyCase's resource_type"
            return [resource(self.resource_type, stack, dict(subject), protect=protect)]
        return list(subject)

    def findings(
        self,
        subject: Subject,
        stack: str = "prod",
        config: Mapping[str, Any] | None = None,
        *,
        protect: bool = True,
    ) -> list[Finding]:
        resources = self._resources(subject, stack, protect)
        return evaluate(stack, resources, [self.policy], {self.policy.name: config or {}})

    def reports(self, subject: Subject, stack: str = "prod", **options: Any) -> list[Finding]:
        """A violating case: every finding at the policy's level, with its remediation,
        severity and link, none blocked by an unknown value; on the resource when one.

        `options` are `findings`' `config` and `protect`."""
        findings = self.findings(subject, stack, **options)
        assert findings, f"{self.policy.name} accepted {subject!r} on {stack}"
        level = enforcement_of(self.policy).value
        for finding in findings:
            assert not finding.unknown and finding.enforcement == level, finding
            assert "Remediation: " in finding.message, finding
            assert finding.severity == self.policy.severity.value, finding
            assert finding.link == self.policy.url, finding
        if isinstance(self.policy, ResourceValidationPolicy):
            [subject_resource] = self._resources(subject, stack, options.get("protect", True))
            assert {f.urn for f in findings} == {subject_resource.urn}, findings
        return findings

    def accepts(self, subject: Subject | None = None, stack: str = "prod", **options: Any) -> None:
        """A complying case (by default the complying resource): the policy reports nothing."""
        subject = {} if subject is None else subject
        assert self.findings(subject, stack, **options) == []
