"""Resolver wiring, one module per area of the API.

Each module exports `RESOLVERS` and `FUNCTIONS`; this package joins them and refuses
duplicates, so a field can never be wired twice.
"""

from __future__ import annotations

from chatspec.model import PipelineFunction, Resolver
from chatspec.resolvers import (
    common,
    members,
    messages,
    moderation,
    presence,
    profiles,
    push,
    rooms,
    search,
    uploads,
)

AREAS = (common, rooms, members, messages, presence, search, push, moderation, profiles, uploads)
_MODULES = AREAS


def _collect() -> tuple[tuple[Resolver, ...], tuple[PipelineFunction, ...]]:
    resolvers: dict[str, Resolver] = {}
    functions: dict[str, PipelineFunction] = {}
    for module in _MODULES:
        for resolver in module.RESOLVERS:
            if resolver.key in resolvers:
                raise ValueError(f"field {resolver.key} is wired twice")
            resolvers[resolver.key] = resolver
        for function in module.FUNCTIONS:
            if function.name in functions:
                raise ValueError(f"pipeline function {function.name} is defined twice")
            functions[function.name] = function
    return tuple(resolvers.values()), tuple(functions.values())


RESOLVERS, PIPELINE_FUNCTIONS = _collect()


def resolver(key: str) -> Resolver:
    for candidate in RESOLVERS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"no resolver for {key!r}")
