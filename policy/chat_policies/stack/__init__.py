"""Stack policies: rules that need more than one resource to decide.

Resources refer to each other by names and ARNs; these helpers find a stack's resources
of one type and read the identifying values the references point at.
"""

from __future__ import annotations

from collections.abc import Iterator

from pulumi_policy import PolicyResource, StackValidationArgs


def of_type(args: StackValidationArgs, resource_type: str) -> Iterator[PolicyResource]:
    return (r for r in args.resources if r.resource_type == resource_type)


def known_strings(resources, *keys: str) -> set[str]:
    """Every string value under `keys` of `resources` (names, ARNs, ids)."""
    values: set[str] = set()
    for resource in resources:
        for key in keys:
            value = resource.props.get(key)
            if isinstance(value, str) and value:
                values.add(value)
    return values
