"""Building blocks shared by every policy of the pack.

pulumi-policy hands a policy the resource's camelCase inputs wrapped in a proxy that
raises `UnknownValueError` on a value not known at preview, and the engine then prints a
generic advisory. The factories here rewrite that error's message so that it names what
could not be checked, and put the remediation text in every violation message, which
pulumi-policy itself does not do (it prints only the description and the message). Both
factories register the policy they build (`registry`), with its severity, tags and link.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NotRequired, TypedDict, TypeVar, Unpack

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .registry import register

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


def _report_each(
    problems: Callable[[], Iterable[tuple[str, str | None]]],
    checks: str,
    remediation: str,
    report_violation: ReportViolation,
) -> None:
    """Report every (problem, urn) with the remediation; an unknown value names the check."""
    try:
        found = list(problems())
    except UnknownValueError as error:
        raise _explain_unknown(error, checks) from None
    for problem, urn in found:
        report_violation(f"{problem} Remediation: {remediation}", urn)


P = TypeVar("P", ResourceValidationPolicy, StackValidationPolicy)


class About(TypedDict):
    """What every policy declares besides its check: shown by the report, the CLI and the docs."""

    name: str
    description: str
    remediation: str
    severity: Severity
    tags: Sequence[str]
    link: str
    """The documentation page of the rule the policy enforces (the policy's `url`)."""
    enforcement_level: NotRequired[EnforcementLevel]
    """MANDATORY unless given."""


def _registered(kind: type[P], validate: Callable[..., None], about: About) -> P:
    """Build the policy and register it under the module that called the public factory.

    That module is two frames up (module -> `resource_policy`/`stack_policy` -> here): it is
    where the policy is defined, which is what the registry and the test layout key on.
    """
    policy = kind(
        name=about["name"],
        description=about["description"],
        validate=validate,
        enforcement_level=about.get("enforcement_level", MANDATORY),
        config_schema=CONFIG_SCHEMA,
        remediation_steps=about["remediation"],
        severity=about["severity"],
        tags=list(about["tags"]),
        url=about["link"],
    )
    register(policy, sys._getframe(2).f_globals["__name__"])
    return policy


def resource_policy(
    *,
    resource_types: Iterable[str],
    checks: str,
    check: ResourceCheck,
    **about: Unpack[About],
) -> ResourceValidationPolicy:
    """A registered resource policy that reports each problem `check` yields, with the remediation.

    `checks` completes "could not check that ..." when the policy meets an unknown value.
    """
    types = frozenset(resource_types)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type in types:
            _report_each(
                lambda: [(problem, None) for problem in check(args)],
                checks,
                about["remediation"],
                report_violation,
            )

    return _registered(ResourceValidationPolicy, validate, about)


def stack_policy(
    *, checks: str, check: StackCheck, **about: Unpack[About]
) -> StackValidationPolicy:
    """A registered stack policy; `check` yields (problem, urn of the offending resource)."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        _report_each(lambda: check(args), checks, about["remediation"], report_violation)

    return _registered(StackValidationPolicy, validate, about)


def require_true(
    path: str,
    *,
    applies: Callable[[ResourceValidationArgs], bool] | None = None,
    where: str = "",
) -> ResourceCheck:
    """The commonest rule: the input at `path` is true, wherever `applies` says the rule holds.

    The problem reads "`path` is not true`where`." (`where` such as " on a production table").
    """

    def check(args: ResourceValidationArgs) -> Iterator[str]:
        if (applies is None or applies(args)) and not is_true(dig(args.props, path)):
            yield f"{path} is not true{where}."

    return check


def lacks_protect(args: ResourceValidationArgs) -> bool:
    """Pulumi's `protect` option is off (the engine always passes the options)."""
    return args.opts is not None and not args.opts.protect
