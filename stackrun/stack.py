"""Run the real Pulumi program for a named stack under mocks and return what it declared.

API (stable, used by the unit, policy and contract tests):

    run = run_stack("prod")                      # config from Pulumi.prod.yaml
    run = run_stack("dev", {"logRetentionDays": 5, "search": None})  # override / remove keys
    run.resources                                # every RecordedResource, in registration order
    run.of_type("aws:dynamodb/table:Table")      # by type token
    run.one("aws:appsync/graphQLApi:GraphQLApi") # exactly one, else AssertionError
    run.by_urn(urn); run.parent_of(resource); run.children_of(resource)
    run.outputs                                  # exported stack outputs, resolved values

A RecordedResource has `type`, `name` (logical), `urn`, `id`, `custom`, `inputs` (camelCase
wire keys at every level, integers as floats), `state` (inputs plus what the mocks
computed), `parent` (URN), `dependencies` (URNs of explicit `depends_on` and of resources
whose outputs feed its inputs), `protect`, `retain_on_delete`, `delete_before_replace`.

Config overrides take bare (`logRetentionDays`) or full (`realtime-chat:logRetentionDays`)
keys; None removes the key. A program error (e.g. a wrong setting) propagates as raised:
`pulumi.RunError` carrying the settings message.

Written by hand because Pulumi's mocks hand `new_resource` only the type, name and inputs:
recording the options (parent, depends_on, protect, retain_on_delete) needs the
monitor's raw registration request.
"""

from __future__ import annotations

import asyncio
import json
import runpy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from stackrun.mocks import ChatMocks
from stacksettings.config_values import PROJECT
from stacksettings.settings import PROJECT_DIR, stack_config

MAIN = PROJECT_DIR / "__main__.py"


@dataclass(frozen=True)
class RecordedResource:
    type: str
    name: str
    urn: str
    id: str
    custom: bool
    inputs: dict[str, Any]
    state: dict[str, Any]
    parent: str | None
    dependencies: tuple[str, ...]
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool


@dataclass
class StackRun:
    stack: str
    config: dict[str, str]
    resources: list[RecordedResource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    invokes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def of_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str) -> RecordedResource:
        found = self.of_type(type_token)
        assert len(found) == 1, f"expected one {type_token}, found {[r.name for r in found]}"
        return found[0]

    def by_urn(self, urn: str) -> RecordedResource:
        for resource in self.resources:
            if resource.urn == urn:
                return resource
        raise KeyError(f"no recorded resource {urn}")

    def named(self, name: str) -> RecordedResource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(f"no recorded resource named {name!r}")

    def parent_of(self, resource: RecordedResource) -> RecordedResource | None:
        if resource.parent is None:
            return None
        try:
            return self.by_urn(resource.parent)
        except KeyError:
            return None  # the stack itself

    def children_of(self, resource: RecordedResource) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == resource.urn]

    def component_of(self, resource: RecordedResource) -> RecordedResource | None:
        """The nearest enclosing `chat:` component."""
        parent = self.parent_of(resource)
        while parent is not None and not parent.type.startswith("chat:"):
            parent = self.parent_of(parent)
        return parent


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: ChatMocks) -> None:
        super().__init__(mocks)
        self.requests: dict[str, Any] = {}

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.requests[response.urn] = request
        return response


def _config_value(value: Any) -> str:
    """Pulumi hands every config value to the program as text, objects as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


PUSH_CREDENTIALS = f"{PROJECT}:pushCredentials"


def placeholder_push_credentials(raw: dict[str, Any]) -> dict[str, Any]:
    """What `pulumi config set --secret --path pushCredentials...` gives the program, for
    each platform the stack lists: an operator's secret never sits in Pulumi.<stack>.yaml
    in the clear, and the CLI that would decrypt a `secure:` value is not here."""
    push = raw.get(f"{PROJECT}:push") or {}
    if isinstance(push, str):
        push = json.loads(push)
    return {
        platform: {"principal": f"test-{platform.lower()}", "credential": "test-only"}
        for platform in push.get("platforms", [])
    }


def stack_run_config(stack: str, overrides: Mapping[str, Any] | None = None) -> dict[str, str]:
    raw = dict(stack_config(stack, Path(PROJECT_DIR)))
    for key, value in (overrides or {}).items():
        full = key if ":" in key else f"{PROJECT}:{key}"
        if value is None:
            raw.pop(full, None)
        else:
            raw[full] = value
    removed = any(v is None and PUSH_CREDENTIALS.endswith(k) for k, v in (overrides or {}).items())
    if PUSH_CREDENTIALS not in raw and not removed:
        raw[PUSH_CREDENTIALS] = placeholder_push_credentials(raw)
    return {key: _config_value(value) for key, value in raw.items()}


def run_stack(stack: str, config_overrides: Mapping[str, Any] | None = None) -> StackRun:
    config = stack_run_config(stack, config_overrides)
    # pulumi's runtime asks asyncio for the current loop; pytest-asyncio closes the loops of
    # async tests and leaves none set, so each run gets its own.
    asyncio.set_event_loop(asyncio.new_event_loop())
    mocks = ChatMocks(region=config.get("aws:region", "us-east-1"))
    monitor = _RecordingMonitor(mocks)
    pulumi_settings.ROOT.set(None)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    pulumi.runtime.set_all_config(config, [PUSH_CREDENTIALS])
    pulumi_settings.SETTINGS.rpc_manager.clear()
    # Outputs an earlier program (or a @pulumi.runtime.test) left pending belong to a closed
    # loop; the stack would wait for them forever before it finishes.
    pulumi_settings.SETTINGS.outputs.clear()

    _sync_await(run_pulumi_func(lambda: runpy.run_path(str(MAIN), run_name="__main__")))
    root = pulumi_settings.get_root_resource()
    exported = dict(getattr(root, "outputs", {}))
    outputs = _sync_await(pulumi.Output.from_input(exported).future()) if exported else {}

    run = StackRun(
        stack=stack, config=config, outputs=dict(outputs or {}), invokes=list(mocks.invokes)
    )
    for urn, request in monitor.requests.items():
        registration = monitor.resources.get(urn)
        run.resources.append(
            RecordedResource(
                type=request.type,
                name=request.name,
                urn=urn,
                id=registration.id if registration else "",
                custom=bool(request.custom),
                inputs=dict(pulumi.runtime.rpc.deserialize_properties(request.object)),
                state=dict(registration.state) if registration else {},
                parent=request.parent or None,
                dependencies=tuple(request.dependencies),
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                delete_before_replace=bool(request.deleteBeforeReplace),
            )
        )
    return run
