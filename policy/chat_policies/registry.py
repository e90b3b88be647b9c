"""Every policy of the pack, registered by the module that defines it.

`resource_policy` and `stack_policy` (in `_support`) add each policy here while its module
is imported, so a new policy is one new module under `<area>/`: there is no list to edit.
`discover()` is the one discovery step: it imports every module of this package, found by
`pkgutil` in the package's own folder (never anything outside it, never pulumi_aws), and
returns the policies in the order of their module paths.

The registry refuses a policy without what the report, the Pulumi CLI and
`docs/policy.md` show for it: a description, a remediation, a severity (pulumi-policy's
own `Severity`, as pulumi/compliance-policies grades: low, medium, high, critical), tags
from `TAGS`, and a link to the documentation page of the rule it enforces (the policy's
`url`, which pulumi-policy hands the engine with the pack's policy list).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from pulumi_policy import Policy, ResourceValidationPolicy, Severity

PACKAGE = __name__.rpartition(".")[0]
PACKAGE_DIR = Path(__file__).resolve().parent

TAGS = frozenset(
    {
        "access-control",
        "authentication",
        "availability",
        "backup",
        "cost",
        "deletion",
        "deployment",
        "documentation",
        "encryption",
        "least-privilege",
        "logging",
        "monitoring",
        "network",
        "patching",
        "reliability",
        "tracing",
    }
)
"""The tags a policy may carry; a closed set, so that a typo is an error, not a new tag."""

DOC_PREFIXES = ("https://docs.aws.amazon.com/", "https://www.pulumi.com/docs/")
"""Where a policy's link may point: AWS's documentation, or Pulumi's for Pulumi options."""

MIN_DESCRIPTION = 40


@dataclass(frozen=True)
class Registered:
    """A policy and the module it is defined in (`kms.rotation`, relative to the package)."""

    policy: Policy
    module: str

    @property
    def name(self) -> str:
        return self.policy.name

    @property
    def kind(self) -> str:
        return "resource" if isinstance(self.policy, ResourceValidationPolicy) else "stack"

    @property
    def severity(self) -> str:
        return self.policy.severity.value if self.policy.severity else ""

    @property
    def link(self) -> str:
        return self.policy.url or ""

    @property
    def source(self) -> Path:
        """The policy's module file, e.g. `policy/chat_policies/kms/rotation.py`."""
        return PACKAGE_DIR.joinpath(*self.module.split(".")).with_suffix(".py")


_REGISTERED: dict[str, Registered] = {}


def metadata_problems(policy: Policy) -> list[str]:
    """What `policy` lacks for the report and the docs (empty when it is complete)."""
    problems = []
    if len((policy.description or "").strip()) < MIN_DESCRIPTION:
        problems.append(f"a description of at least {MIN_DESCRIPTION} characters")
    if not (policy.remediation_steps or "").strip():
        problems.append("remediation steps")
    if not isinstance(policy.severity, Severity):
        problems.append("a severity (pulumi_policy.Severity)")
    if not (policy.url or "").startswith(DOC_PREFIXES):
        problems.append(f"a documentation link starting with one of {DOC_PREFIXES}")
    tags = policy.tags or []
    if not tags or not set(tags) <= TAGS:
        problems.append(f"one or more tags, all from {sorted(TAGS)} (got {tags})")
    return problems


def register(policy: Policy, module: str) -> Policy:
    """Add `policy`, defined in the module named `module`; returns it for `POLICY = ...`."""
    problems = metadata_problems(policy)
    if problems:
        raise ValueError(f"policy {policy.name!r} ({module}) lacks " + "; ".join(problems))
    relative = module.removeprefix(f"{PACKAGE}.")
    known = _REGISTERED.get(policy.name)
    if known is not None and known.module != relative:
        raise ValueError(
            f"policy name {policy.name!r} is defined twice: in {known.module} and {relative}"
        )
    _REGISTERED[policy.name] = Registered(policy, relative)
    return policy


def discover() -> list[Registered]:
    """Import every module of the package; every policy they define, by module path."""
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix=f"{PACKAGE}."):
        importlib.import_module(info.name)
    return sorted(_REGISTERED.values(), key=lambda r: r.module)
