"""Cross-layer checks over the specification, written as functions of their inputs.

Each check takes the records it compares (resolvers, functions, tables, ...) and returns
the problems it found as sentences, so the tests can run it on the real specification
(expecting none) and on a deliberately broken copy (expecting the one planted).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from pathlib import Path

from graphql import ObjectTypeDefinitionNode, ObjectTypeExtensionNode, parse

from chatspec.iam import merge_grants
from chatspec.model import DataSource, Grant, LambdaFunction, PipelineFunction, Resolver, Table
from tests.contract.template_usage import Usage, request_usage

ROOT_TYPES = ("Query", "Mutation", "Subscription")
KEYED_OPERATIONS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheck"}


def schema_fields(schema_text: str) -> dict[str, set[str]]:
    """Fields per object type, from the SDL alone (no AppSync prelude needed to parse)."""
    fields: dict[str, set[str]] = {}
    for definition in parse(schema_text).definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            names = {f.name.value for f in definition.fields or ()}
            fields.setdefault(definition.name.value, set()).update(names)
    return fields


def resolver_coverage(resolvers: Sequence[Resolver], schema_text: str) -> list[str]:
    fields = schema_fields(schema_text)
    problems = []
    counts: dict[str, int] = {}
    for resolver in resolvers:
        counts[resolver.key] = counts.get(resolver.key, 0) + 1
        if resolver.field_name not in fields.get(resolver.type_name, set()):
            problems.append(f"resolver {resolver.key} names a field the schema does not have")
    for key, count in counts.items():
        if count > 1:
            problems.append(f"field {key} has {count} resolvers")
    for type_name in ROOT_TYPES:
        for field in sorted(fields.get(type_name, ())):
            if f"{type_name}.{field}" not in counts:
                problems.append(f"schema field {type_name}.{field} has no resolver")
    return problems


def template_owners(
    resolvers: Sequence[Resolver], functions: Sequence[PipelineFunction]
) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for owner, paths in [(r.key, (r.request, r.response)) for r in resolvers] + [
        (f"function {f.name}", (f.request, f.response)) for f in functions
    ]:
        for path in paths:
            if path:
                owners.setdefault(path, []).append(owner)
    return owners


def missing_templates(
    resolvers: Sequence[Resolver], functions: Sequence[PipelineFunction], vtl_dir: Path
) -> list[str]:
    return [
        f"{', '.join(owners)} names template {path}, which does not exist"
        for path, owners in template_owners(resolvers, functions).items()
        if not (vtl_dir / path).is_file()
    ]


def orphaned_templates(
    resolvers: Sequence[Resolver], functions: Sequence[PipelineFunction], vtl_dir: Path
) -> list[str]:
    named = set(template_owners(resolvers, functions))
    return [
        f"template {path} is used by no resolver or pipeline function"
        for path in sorted(p.relative_to(vtl_dir).as_posix() for p in vtl_dir.rglob("*.vtl"))
        if path not in named
    ]


def _data_source_table(name: str | None, data_sources: Sequence[DataSource]) -> str | None:
    return next((d.table for d in data_sources if d.name == name), None)


def request_templates(
    resolvers: Sequence[Resolver],
    functions: Sequence[PipelineFunction],
    data_sources: Sequence[DataSource],
) -> list[tuple[str, str, str | None, str]]:
    """(owner, data source, its table, request template) of every DynamoDB request."""
    found = []
    for r in resolvers:
        if r.kind == "UNIT" and r.request and _data_source_table(r.data_source, data_sources):
            table = _data_source_table(r.data_source, data_sources)
            found.append((r.key, r.data_source, table, r.request))
    for f in functions:
        table = _data_source_table(f.data_source, data_sources)
        if table:
            found.append((f"function {f.name}", f.data_source, table, f.request))
    return found


def _usages(vtl_dir: Path, template: str, table: str | None) -> list[Usage]:
    return request_usage((vtl_dir / template).read_text(encoding="utf-8"), table)


def table_usage(
    resolvers: Sequence[Resolver],
    functions: Sequence[PipelineFunction],
    data_sources: Sequence[DataSource],
    tables: Sequence[Table],
    lambdas: Sequence[LambdaFunction],
    vtl_dir: Path,
) -> list[str]:
    by_name = {t.name: t for t in tables}
    problems = []
    for owner, _source, table_name, template in request_templates(
        resolvers, functions, data_sources
    ):
        if not (vtl_dir / template).is_file():
            continue
        for usage in _usages(vtl_dir, template, table_name):
            problems += _usage_problems(f"{owner} ({template})", usage, by_name)
    for function in lambdas:
        for grant in function.grants:
            table = by_name.get(grant.table)
            if table is None:
                problems.append(f"Lambda {function.name} uses unknown table {grant.table}")
            elif grant.index and grant.index not in {i.name for i in table.indexes}:
                problems.append(f"Lambda {function.name} uses unknown index {grant.index}")
    return problems


def _usage_problems(where: str, usage: Usage, tables: dict[str, Table]) -> list[str]:
    table = tables.get(usage.table)
    if table is None:
        return [f"{where}: {usage.operation} on unknown table {usage.table!r}"]
    keys = (table.hash_key.name,) + ((table.range_key.name,) if table.range_key else ())
    if usage.index:
        index = next((i for i in table.indexes if i.name == usage.index), None)
        if index is None:
            return [f"{where}: {usage.operation} on unknown index {usage.table}.{usage.index}"]
        keys = (index.hash_key.name,) + ((index.range_key.name,) if index.range_key else ())
    if (
        usage.operation in KEYED_OPERATIONS
        and usage.key_attributes
        and set(usage.key_attributes) != set(keys)
    ):
        return [
            f"{where}: {usage.operation} key {sorted(usage.key_attributes)} does not "
            f"match {usage.table}'s key {sorted(keys)}"
        ]
    if usage.operation == "Query" and usage.query_names and keys[0] not in usage.query_names:
        return [f"{where}: Query names {list(usage.query_names)}, not the hash key {keys[0]}"]
    return []


def grants_of(
    data_source: str, resolvers: Sequence[Resolver], functions: Sequence[PipelineFunction]
) -> tuple[Grant, ...]:
    grants: list[Grant] = []
    for r in resolvers:
        if r.kind == "UNIT" and r.data_source == data_source:
            grants += r.grants
    for f in functions:
        if f.data_source == data_source:
            grants += f.grants
    return merge_grants(grants)


def expand(grants: Iterable[Grant]) -> set[tuple[str, str | None, str]]:
    return {(g.table, g.index, action) for g in grants for action in g.actions}


def template_needs(
    resolvers: Sequence[Resolver],
    functions: Sequence[PipelineFunction],
    data_sources: Sequence[DataSource],
    vtl_dir: Path,
) -> dict[str, set[tuple[str, str | None, str]]]:
    """(table, index, action) each DynamoDB data source's templates can perform."""
    used: dict[str, set[tuple[str, str | None, str]]] = {}
    for _owner, source, table, template in request_templates(resolvers, functions, data_sources):
        if (vtl_dir / template).is_file():
            for usage in _usages(vtl_dir, template, table):
                used.setdefault(source, set()).add((usage.table, usage.index, usage.action))
    return used


def data_source_permissions(
    resolvers: Sequence[Resolver],
    functions: Sequence[PipelineFunction],
    data_sources: Sequence[DataSource],
    vtl_dir: Path,
) -> list[str]:
    """Each DynamoDB data source's grants equal what its templates do, both ways."""
    used = template_needs(resolvers, functions, data_sources, vtl_dir)
    problems = []
    for source in (d.name for d in data_sources if d.kind == "AMAZON_DYNAMODB"):
        granted = expand(grants_of(source, resolvers, functions))
        needed = used.get(source, set())
        for table, index, action in sorted(needed - granted, key=str):
            where = f"{table}/index/{index}" if index else table
            problems.append(f"data source {source} lacks {action} on {where}")
        for table, index, action in sorted(granted - needed, key=str):
            where = f"{table}/index/{index}" if index else table
            problems.append(f"data source {source} grants unused {action} on {where}")
    return problems


def handler_actions(handler: Path) -> set[str] | None:
    """Keys of the module-level `ACTIONS = {...}` literal, or None when there is none."""
    for node in ast.parse(handler.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "ACTIONS" for t in targets):
            if not isinstance(node.value, ast.Dict):
                raise ValueError(f"{handler}: ACTIONS must be a dict literal keyed 'Type.field'")
            return {ast.literal_eval(k) for k in node.value.keys if k is not None}
    return None


def lambda_reach(
    resolvers: Sequence[Resolver],
    functions: Sequence[PipelineFunction],
    data_sources: Sequence[DataSource],
) -> dict[str, set[str]]:
    """Lambda name -> the fields whose resolver invokes it, directly or as a pipeline step."""
    by_source = {d.name: d.function for d in data_sources if d.kind == "AWS_LAMBDA"}
    steps = {f.name: f for f in functions}
    reach: dict[str, set[str]] = {}
    for resolver in resolvers:
        sources = [resolver.data_source] if resolver.kind == "UNIT" else []
        sources += [steps[name].data_source for name in resolver.functions if name in steps]
        for source in sources:
            if by_source.get(source or ""):
                reach.setdefault(by_source[source or ""] or "", set()).add(resolver.key)
    return reach


def lambda_actions(
    lambdas: Sequence[LambdaFunction],
    resolvers: Sequence[Resolver],
    data_sources: Sequence[DataSource],
    functions_dir: Path,
    functions: Sequence[PipelineFunction] | None = None,
) -> list[str]:
    """The three places a Lambda action is named agree: `chatspec.lambdas` (`actions`), the
    handler's `ACTIONS` table and, with `functions` given, the resolvers that invoke it."""
    problems = []
    for function in lambdas:
        handler = functions_dir / function.name / "handler.py"
        if not handler.is_file():
            problems.append(f"Lambda {function.name} has no {handler}")
            continue
        actions = handler_actions(handler)
        if function.actions and actions is None:
            problems.append(f"{handler} has no ACTIONS for {list(function.actions)}")
            continue
        known = actions or set()
        for missing in sorted(set(function.actions) - known):
            problems.append(f"{handler} ACTIONS lacks {missing}")
        for extra in sorted(known - set(function.actions)):
            problems.append(f"{handler} ACTIONS has {extra}, which chatspec.lambdas does not list")
    by_source = {d.name: d.function for d in data_sources if d.kind == "AWS_LAMBDA"}
    by_name = {f.name: f for f in lambdas}
    for resolver in resolvers:
        name = by_source.get(resolver.data_source or "")
        if resolver.kind == "UNIT" and name and not resolver.request:
            function = by_name.get(name)
            if function is None or resolver.key not in function.actions:
                problems.append(f"direct Lambda resolver {resolver.key} is not an action of {name}")
    if functions is not None:
        reach = lambda_reach(resolvers, functions, data_sources)
        for function in lambdas:
            wired = reach.get(function.name, set())
            for field in sorted(wired - set(function.actions)):
                problems.append(f"{field} invokes Lambda {function.name} but is not its action")
            for field in sorted(set(function.actions) - wired):
                problems.append(f"action {field} of Lambda {function.name} has no resolver")
    return problems
