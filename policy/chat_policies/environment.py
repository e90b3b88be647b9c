"""Which stack a resource belongs to, so that production-only rules leave dev alone.

The stack comes from the resource's URN (`urn:pulumi:<stack>::<project>::...`), which the
engine always sets, and otherwise from its `stack` (or `environment`) tag, any case.
Which stacks count as production is the policy config `prodStacks` (default
`["prod"]`), so a `prod-eu` stack can opt in without changing the pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ResourceValidationArgs, StackValidationArgs

from ._support import dig

DEFAULT_PROD_STACKS = ("prod",)
STACK_TAG_KEYS = ("stack", "environment")


def stack_from_urn(urn: str) -> str | None:
    parts = urn.split(":", 2)
    if len(parts) < 3 or parts[0] != "urn" or parts[1] != "pulumi":
        return None
    return parts[2].split("::", 1)[0] or None


def stack_of(props: Mapping[str, Any], urn: str) -> str | None:
    from_urn = stack_from_urn(urn)
    if from_urn:
        return from_urn
    tags = dig(props, "tags") or {}
    if isinstance(tags, Mapping):
        by_lower_key = {str(key).lower(): key for key in tags}
        for wanted in STACK_TAG_KEYS:
            if wanted in by_lower_key:
                value = tags[by_lower_key[wanted]]
                if isinstance(value, str) and value:
                    return value
    return None


def _prod_stacks(config: Mapping[str, Any]) -> tuple[str, ...]:
    configured = config.get("prodStacks") if config else None
    return tuple(configured) if configured else DEFAULT_PROD_STACKS


def is_prod(args: ResourceValidationArgs) -> bool:
    return stack_of(args.props, args.urn) in _prod_stacks(args.get_config())


def stack_is_prod(args: StackValidationArgs) -> bool:
    prod = _prod_stacks(args.get_config())
    return any(stack_of(r.props, r.urn) in prod for r in args.resources)
