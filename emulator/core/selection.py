"""The selected fields of a resolver's field, as AppSync reports them in `$ctx.info`."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    print_ast,
)


def selected_fields(
    selection_set: SelectionSetNode | None, fragments: dict[str, Any]
) -> list[FieldNode]:
    found: list[FieldNode] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            found.extend(selected_fields(selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                found.extend(selected_fields(fragment.selection_set, fragments))
    return found


def selection_set_list(field_nodes: list[FieldNode], fragments: dict[str, Any]) -> list[str]:
    """`["roomId", "room", "room/name"]`: fields by name, nested with `/`, fragments inlined."""
    names: list[str] = []

    def walk(nodes: list[FieldNode], prefix: str) -> None:
        for node in nodes:
            if node.name.value == "__typename":
                continue
            path = f"{prefix}{node.name.value}"
            if path not in names:
                names.append(path)
            walk(selected_fields(node.selection_set, fragments), f"{path}/")

    for field_node in field_nodes:
        walk(selected_fields(field_node.selection_set, fragments), "")
    return names


def selection_set_graphql(field_nodes: list[FieldNode]) -> str:
    selections = [
        s for node in field_nodes if node.selection_set for s in node.selection_set.selections
    ]
    if not selections:
        return ""
    return print_ast(SelectionSetNode(selections=tuple(selections)))


def project(
    value: Any,
    selection_set: SelectionSetNode | None,
    fragments: dict[str, Any],
    type_name: str | None = None,
) -> Any:
    """Shape `value` like a client's selection: response keys, absent fields as null.

    AppSync delivers a subscription payload this way without enforcing non-null types:
    fields the mutation did not select arrive as null.
    """
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [project(item, selection_set, fragments, type_name) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for node in selected_fields(selection_set, fragments):
        key = node.alias.value if node.alias else node.name.value
        if node.name.value == "__typename":
            out[key] = value.get("__typename", type_name)
            continue
        out[key] = project(value.get(node.name.value), node.selection_set, fragments)
    return out


def unalias(value: Any, selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> Any:
    """A result keyed by field names instead of the client's aliases (a mutation payload)."""
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [unalias(item, selection_set, fragments) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for node in selected_fields(selection_set, fragments):
        key = node.alias.value if node.alias else node.name.value
        if key not in value:
            continue
        inner = unalias(value[key], node.selection_set, fragments)
        existing = out.get(node.name.value)
        if isinstance(existing, dict) and isinstance(inner, dict):
            existing.update(inner)
        else:
            out[node.name.value] = inner
    return out
