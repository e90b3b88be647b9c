"""Resolver wiring: search."""

from __future__ import annotations

from chatspec.model import PipelineFunction, Resolver

FUNCTIONS: tuple[PipelineFunction, ...] = ()
RESOLVERS: tuple[Resolver, ...] = ()
