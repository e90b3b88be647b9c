"""Printing findings the way `pulumi preview` prints policy violations: grouped by policy.

Each policy's block also gives its severity and the documentation page of its rule (the
policy's `url`); with the CLI, pulumi-policy sends the engine the same severity with every
diagnostic and the url in the pack's policy list.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence

from policy.evaluation import Finding

PACK = "realtime-chat"
_ICON = {"mandatory": "❌", "advisory": "⚠️ "}


def summary(findings: Sequence[Finding], stacks: Sequence[str], policies: int) -> dict:
    levels = Counter(f.enforcement for f in findings if not f.unknown)
    return {
        "summary": True,
        "pack": PACK,
        "stacks": list(stacks),
        "policiesRun": policies,
        "violations": {
            "mandatory": levels.get("mandatory", 0),
            "advisory": levels.get("advisory", 0),
        },
        "unknown": sum(1 for f in findings if f.unknown),
    }


def as_json_lines(findings: Sequence[Finding], stacks: Sequence[str], policies: int) -> str:
    lines = [json.dumps(f.as_dict(), sort_keys=True) for f in findings]
    lines.append(json.dumps(summary(findings, stacks, policies), sort_keys=True))
    return "\n".join(lines)


def as_text(findings: Sequence[Finding], stack: str, policies: int, resources: int) -> str:
    """One block per policy, its resources under it, then a one-line verdict."""
    by_policy: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_policy[finding.policy].append(finding)
    mandatory = sum(1 for f in findings if f.enforcement == "mandatory")
    verdict = "❌" if mandatory else "✅"
    lines = [f"Policies ({stack}):", f"    {verdict} {PACK} (local: policy)"]
    ordered = sorted(by_policy.items(), key=lambda kv: (kv[1][0].enforcement != "mandatory", kv[0]))
    for name, group in ordered:
        first = group[0]
        label = "advisory" if all(f.unknown for f in group) else first.enforcement
        lines.append(f"        - [{label}]  {name}")
        lines.append(f"          {first.description}")
        if first.severity or first.link:
            lines.append(f"          severity {first.severity or '-'}: {first.link or '-'}")
        for finding in group:
            where = finding.urn or "(stack)"
            tag = "  (could not check)" if finding.unknown else ""
            lines.append(f"          {_ICON.get(finding.enforcement, '')} {where}{tag}")
            lines.append(f"              {finding.message}")
    counts = summary(findings, [stack], policies)["violations"]
    lines.append(
        f"    {stack}: {policies} policies over {resources} resources: "
        f"{counts['mandatory']} mandatory, {counts['advisory']} advisory violations, "
        f"{sum(1 for f in findings if f.unknown)} checks blocked by unknown values"
    )
    return "\n".join(lines)
