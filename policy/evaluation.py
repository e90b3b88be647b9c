"""Running the pack's policies over recorded resources, without the Pulumi engine.

pulumi-policy has no offline entry point: `PolicyPack` only serves the engine over gRPC.
This module does what its analyzer servicer does per resource and per stack (wrap the
properties in the unknown-checking proxy, build the public `ResourceValidationArgs` /
`StackValidationArgs`, call `validate`, turn `UnknownValueError` into an advisory), but
collects findings instead of gRPC diagnostics.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

PACK_ENFORCEMENT = EnforcementLevel.MANDATORY


@dataclass(frozen=True)
class Resource:
    """One resource as a policy sees it: camelCase inputs, plus outputs for stack policies."""

    type: str
    name: str
    urn: str
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any] = field(default_factory=dict)
    protect: bool = False
    parent: str | None = None


@dataclass(frozen=True)
class Finding:
    stack: str
    policy: str
    enforcement: str
    description: str
    message: str
    urn: str | None
    resource_type: str | None
    resource_name: str | None
    unknown: bool = False
    severity: str | None = None
    link: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "policy": self.policy,
            "enforcement": self.enforcement,
            "urn": self.urn,
            "resourceType": self.resource_type,
            "resourceName": self.resource_name,
            "message": self.message,
            "unknown": self.unknown,
            "severity": self.severity,
            "link": self.link,
        }


def enforcement_of(policy: Policy) -> EnforcementLevel:
    return policy.enforcement_level or PACK_ENFORCEMENT


def _options(resource: Resource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=resource.protect,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=resource.parent,
    )


def _run(result: Any) -> None:
    if isawaitable(result):
        asyncio.run(_await(result))


async def _await(result: Any) -> None:
    await result


class _Collector:
    def __init__(self, stack: str, policy: Policy, by_urn: Mapping[str, Resource]):
        self.stack = stack
        self.policy = policy
        self.by_urn = by_urn
        self.findings: list[Finding] = []

    def finding(self, message: str, urn: str | None, *, unknown: bool = False) -> Finding:
        resource = self.by_urn.get(urn) if urn else None
        level = EnforcementLevel.ADVISORY if unknown else enforcement_of(self.policy)
        return Finding(
            stack=self.stack,
            policy=self.policy.name,
            enforcement=level.value,
            description=self.policy.description,
            message=message,
            urn=urn,
            resource_type=resource.type if resource else None,
            resource_name=resource.name if resource else None,
            unknown=unknown,
            severity=self.policy.severity.value if self.policy.severity else None,
            link=self.policy.url,
        )

    def reporter(self, default_urn: str | None):
        def report_violation(message: str, urn: str | None = None) -> None:
            self.findings.append(self.finding(message, urn or default_urn))

        return report_violation


def evaluate(
    stack: str,
    resources: Sequence[Resource],
    policies: Iterable[Policy],
    config: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Finding]:
    """Every finding of every enabled policy; an unknown value yields an advisory finding."""
    config = config or {}
    by_urn = {r.urn: r for r in resources}
    findings: list[Finding] = []
    for policy in policies:
        if enforcement_of(policy) == EnforcementLevel.DISABLED:
            continue
        collector = _Collector(stack, policy, by_urn)
        policy_config = dict(config.get(policy.name, {}))
        if isinstance(policy, ResourceValidationPolicy):
            for resource in resources:
                args = ResourceValidationArgs(
                    resource.type,
                    unknown_checking_proxy(dict(resource.inputs)),
                    resource.urn,
                    resource.name,
                    _options(resource),
                    None,
                    policy_config,
                )
                try:
                    _run(policy.validate(args, collector.reporter(resource.urn)))
                except UnknownValueError as error:
                    collector.findings.append(
                        collector.finding(error.message, resource.urn, unknown=True)
                    )
        elif isinstance(policy, StackValidationPolicy):
            stack_resources = [
                PolicyResource(
                    r.type,
                    unknown_checking_proxy({**r.inputs, **r.outputs}),
                    r.urn,
                    r.name,
                    _options(r),
                    None,
                    None,
                    [],
                    {},
                )
                for r in resources
            ]
            try:
                _run(
                    policy.validate(
                        StackValidationArgs(stack_resources, policy_config),
                        collector.reporter(None),
                    )
                )
            except UnknownValueError as error:
                collector.findings.append(collector.finding(error.message, None, unknown=True))
        findings.extend(collector.findings)
    return findings
