"""Least-privilege grants derived from the wiring.

A data source's role may do exactly what the templates attached to it do: the union of
the grants of its unit resolvers and pipeline functions. Nothing here is written by
hand per role, so a new resolver cannot silently widen or miss a permission.
"""

from __future__ import annotations

from collections import defaultdict

from chatspec.model import Grant


def merge_grants(grants: list[Grant] | tuple[Grant, ...]) -> tuple[Grant, ...]:
    """One grant per (table, index) with sorted, de-duplicated actions."""
    merged: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for grant in grants:
        merged[(grant.table, grant.index)].update(grant.actions)
    return tuple(
        Grant(table=t, index=i, actions=tuple(sorted(actions)))
        for (t, i), actions in sorted(merged.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
    )


def data_source_grants(data_source_name: str) -> tuple[Grant, ...]:
    from chatspec.resolvers import PIPELINE_FUNCTIONS, RESOLVERS

    grants: list[Grant] = []
    for resolver in RESOLVERS:
        if resolver.kind == "UNIT" and resolver.data_source == data_source_name:
            grants.extend(resolver.grants)
    for function in PIPELINE_FUNCTIONS:
        if function.data_source == data_source_name:
            grants.extend(function.grants)
    return merge_grants(grants)
