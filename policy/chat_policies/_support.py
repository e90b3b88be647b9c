"""Building blocks shared by every policy of the pack.

pulumi-policy hands a policy the resource's camelCase inputs wrapped in a proxy that
raises `UnknownValueError` on a value not known at preview, and the engine then prints a
generic advisory. The factories here rewrite that error's message so that it names what
could not be checked, and put the remediation text in every violation message, which
pulumi-policy itself does not do (it prints only the description and the message).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "prodStacks": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Stack names held to the production rules (default: prod).",
        },
        "requiredTags": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Tags every taggable resource carries (default: project, environment).",
        },
    }
)

ResourceCheck = Callable[[ResourceValidationArgs], Iterable[str]]
StackCheck = Callable[[StackValidationArgs], Iterable[tuple[str, str | None]]]


def dig(props: Mapping[str, Any] | None, path: str, default: Any = None) -> Any:
    """The value at a dotted camelCase path, or `default` when a step is missing.

    Lists of one block (how Terraform-bridged providers spell nested blocks) are
    stepped through, so `pointInTimeRecovery.enabled` works for both shapes.
    """
    current: Any = props
    for step in path.split("."):
        if isinstance(current, Sequence) and not isinstance(current, str):
            current = current[0] if len(current) == 1 else None
        if current is None or not isinstance(current, Mapping):
            return default
        current = current.get(step)
        if current is None:
            return default
    return current


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | Mapping):
        return [value]
    return list(value)


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def json_document(value: Any) -> Any:
    """A policy document given either as a JSON string or as a structure."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _explain_unknown(error: UnknownValueError, checks: str) -> UnknownValueError:
    error.message = (
        f"could not check that {checks}: {error.message}; "
        "it is checked again by `pulumi up` once the value is known"
    )
    return error


def resource_policy(
    *,
    name: str,
    description: str,
    resource_types: Iterable[str],
    checks: str,
    remediation: str,
    check: ResourceCheck,
    enforcement_level: EnforcementLevel = MANDATORY,
) -> ResourceValidationPolicy:
    """A resource policy that reports each problem `check` yields, with the remediation.

    `checks` completes "could not check that ..." when the policy meets an unknown value.
    """
    types = frozenset(resource_types)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        try:
            problems = list(check(args))
        except UnknownValueError as error:
            raise _explain_unknown(error, checks) from None
        for problem in problems:
            report_violation(f"{problem} Remediation: {remediation}", None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=enforcement_level,
        config_schema=CONFIG_SCHEMA,
        remediation_steps=remediation,
    )


def stack_policy(
    *,
    name: str,
    description: str,
    checks: str,
    remediation: str,
    check: StackCheck,
    enforcement_level: EnforcementLevel = MANDATORY,
) -> StackValidationPolicy:
    """A stack policy; `check` yields (problem, urn of the offending resource or None)."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            problems = list(check(args))
        except UnknownValueError as error:
            raise _explain_unknown(error, checks) from None
        for problem, urn in problems:
            report_violation(f"{problem} Remediation: {remediation}", urn)

    return StackValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=enforcement_level,
        config_schema=CONFIG_SCHEMA,
        remediation_steps=remediation,
    )
