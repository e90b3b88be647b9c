"""Renders every resolver's templates the way AppSync would, with representative values.

The resolvers run through the emulator's own `ResolverRunner` (engineer D's VTL engine
and pipeline semantics: before template, functions in order with `$ctx.prev.result`,
`#return`, after template), so the stash a template reads is exactly what the earlier
functions' response templates put there. Data sources are replaced by stand-ins that
answer each rendered request with a representative result of the shape AppSync gives
(an item, a page, a transaction's keys, a NONE payload), built from the schema's types.

What is recorded per resolver is which templates produced a JSON document and, when the
run stopped, which template stopped it and how: a `$util.error`/`$util.unauthorized`
(deliberate, `UtilError`) or a template that is not valid VTL or not valid JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, get_named_type

from chatspec.model import DataSource, PipelineFunction, Resolver, Table
from chatspec.templates import load_template, with_table_names
from emulator.core.errors import FieldError
from emulator.core.resolvers import CallState, FieldCall, ResolverRunner
from emulator.datasources import DataSourceError
from emulator.datasources.dynamodb_values import plain_item
from emulator.identity import iam_identity
from tests.contract import representative as rep
from tests.contract.scenarios import CALLER, Failure, Scenario

TEMPLATE_FAILURE = "MappingTemplate"
CLOCK_EPOCH_SECONDS = 1_767_225_600.0


@dataclass(frozen=True)
class Stop:
    """The template that ended a resolver's run early, and why."""

    template: str
    error_type: str | None
    message: str

    @property
    def deliberate(self) -> bool:
        """Raised by the template itself (`$util.error`), not by a broken template."""
        return self.error_type != TEMPLATE_FAILURE


@dataclass(frozen=True)
class ResolverRun:
    resolver: str
    scenario: str
    rendered: tuple[str, ...]
    stop: Stop | None


class _NotingFunctions(dict):
    """The pipeline functions by name, noting which one the runner looked up last.

    The runner looks each function up just before running it, so the last name looked
    up tells the stand-in data source whose request it is answering.
    """

    def __init__(self, functions: Sequence[PipelineFunction], first: str) -> None:
        super().__init__((f.name, f) for f in functions)
        self.current = first

    def get(self, name: str, default: Any = None) -> Any:
        self.current = name
        return super().get(name, default)

    def __getitem__(self, name: str) -> PipelineFunction:
        self.current = name
        return super().__getitem__(name)


def _with_caller(value: Any, sub: str) -> Any:
    if value == CALLER:
        return sub
    if isinstance(value, dict):
        return {k: _with_caller(v, sub) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_caller(v, sub) for v in value]
    return value


def _merged(base: Any, overlay: Any) -> Any:
    """`overlay` over `base`; dicts merge by key and lists of the same length by position
    (so a scenario can change one item of a TransactGetItems result)."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        return {**base, **{k: _merged(base.get(k), v) for k, v in overlay.items()}}
    if isinstance(base, list) and isinstance(overlay, list) and len(base) == len(overlay):
        return [_merged(b, o) for b, o in zip(base, overlay, strict=True)]
    return overlay


class RepresentativeDataSource:
    """Answers a rendered request with a representative result instead of calling AWS.

    The scenario may replace the result of one step: an overlay on the item, no item at
    all (None), or a failure as the data source would report it.
    """

    def __init__(
        self,
        source: DataSource,
        world: World,
        field: tuple[str, str],
        step: _NotingFunctions,
        scenario: Scenario,
        caller_sub: str,
    ) -> None:
        self.source = source
        self.world = world
        self.field = field
        self.step = step
        self.scenario = scenario
        self.caller_sub = caller_sub

    def invoke(self, request: Any) -> Any:
        result = self._representative(request)
        if self.step.current not in self.scenario.results:
            return result
        change = _with_caller(self.scenario.results[self.step.current], self.caller_sub)
        if isinstance(change, Failure):
            raise DataSourceError(change.message, change.error_type, result=change.result)
        return None if change is None else _merged(result, change)

    def _representative(self, request: Any) -> Any:
        if self.source.kind == "NONE":
            return request.get("payload") if isinstance(request, dict) else None
        if self.source.kind == "AWS_LAMBDA":
            return self.world.field_value(*self.field)
        return self.world.dynamodb_result(self.source.table or "", request)


class World:
    """The representative schema values, tables and deployed names one run draws from."""

    def __init__(
        self,
        schema_text: str,
        tables: Sequence[Table],
        table_names: dict[str, str],
    ) -> None:
        self.schema: GraphQLSchema = rep.schema(schema_text)
        self.tables = {t.name: t for t in tables}
        self.table_names = table_names
        self.logical = {deployed: logical for logical, deployed in table_names.items()}

    def field_value(self, type_name: str, field_name: str) -> Any:
        field = self.schema.get_type(type_name).fields[field_name]
        return rep.value_of(field.type, field_name)

    def item(self, table: str, *overlays: dict[str, Any] | None) -> dict[str, Any]:
        if table not in self.tables:
            raise KeyError(f"request names table {table!r}, which chatspec does not define")
        item = rep.stored_item(self.schema, self.tables[table])
        for overlay in overlays:
            item.update(plain_item(overlay) or {})
        return item

    def _table_of(self, entry: dict[str, Any], default: str) -> str:
        deployed = entry.get("table")
        return self.logical.get(deployed, deployed) if deployed else default

    def dynamodb_result(self, table: str, request: dict[str, Any]) -> Any:
        operation = request.get("operation")
        if operation in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
            return self.item(table, request.get("key"), request.get("attributeValues"))
        if operation in ("Query", "Scan"):
            return {"items": [self.item(table)], "nextToken": None, "scannedCount": 1}
        if operation == "TransactWriteItems":
            keys = [plain_item(entry.get("key")) for entry in request.get("transactItems", [])]
            return {"keys": keys, "cancellationReasons": None}
        if operation == "TransactGetItems":
            items = [
                self.item(self._table_of(entry, table), entry.get("key"))
                for entry in request.get("transactItems", [])
            ]
            return {"items": items, "cancellationReasons": None}
        if operation in ("BatchGetItem", "BatchPutItem", "BatchDeleteItem"):
            return self._batch_result(operation, request)
        raise ValueError(f"no representative result for DynamoDB operation {operation!r}")

    def _batch_result(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        data, pending = {}, {}
        for deployed, spec in (request.get("tables") or {}).items():
            logical = self.logical.get(deployed, deployed)
            entries = (
                spec.get("keys") or spec.get("items") or [] if isinstance(spec, dict) else spec
            )
            data[deployed] = [self.item(logical, entry) for entry in entries]
            pending[deployed] = []
        leftover = "unprocessedItems" if operation == "BatchPutItem" else "unprocessedKeys"
        return {"data": data, leftover: pending}

    def source_of(self, type_name: str) -> Any:
        """`$ctx.source` of a field on a non-root type: the item its table stores."""
        for table in self.tables.values():
            if rep.item_type_name(table) == type_name:
                return self.item(table.name)
        parent = self.schema.get_type(type_name)
        return rep.value_of(parent, type_name) if isinstance(parent, GraphQLObjectType) else None

    def info(self, type_name: str, field_name: str) -> dict[str, Any]:
        field = self.schema.get_type(type_name).fields[field_name]
        returned = get_named_type(field.type)
        selection = list(getattr(returned, "fields", {}) or {})
        return {
            "fieldName": field_name,
            "parentTypeName": type_name,
            "variables": {},
            "selectionSetList": selection,
            "selectionSetGraphQL": "{ " + " ".join(selection) + " }" if selection else "",
        }


def run_resolver(
    resolver: Resolver,
    world: World,
    data_sources: Sequence[DataSource],
    functions: Sequence[PipelineFunction],
    scenario: Scenario | None = None,
    load: Callable[[str], str] = load_template,
) -> ResolverRun:
    """Runs one resolver's templates for one scenario (the plainest request by default)."""
    scenario = scenario or Scenario()
    loaded: list[str] = []

    def template(relative: str) -> str:
        loaded.append(relative)
        return with_table_names(load(relative), world.table_names)

    field = (resolver.type_name, resolver.field_name)
    identity = iam_identity("representative-backend") if scenario.backend else rep.caller()
    caller_id = identity.get("sub") or "iam:representative-backend"
    step = _NotingFunctions(functions, first=resolver.key)
    runner = ResolverRunner(
        data_sources={
            d.name: RepresentativeDataSource(d, world, field, step, scenario, caller_id)
            for d in data_sources
        },
        templates=template,
        functions=step,
        clock=lambda: CLOCK_EPOCH_SECONDS,
    )
    arguments = _merged(
        rep.arguments(world.schema, *field), _with_caller(scenario.arguments, caller_id)
    )
    root = resolver.type_name in ("Query", "Mutation", "Subscription")
    call = FieldCall(
        type_name=resolver.type_name,
        field_name=resolver.field_name,
        arguments=arguments,
        source=None if root else _with_source(world.source_of(resolver.type_name), scenario),
        info=world.info(*field),
        path=[resolver.field_name],
        locations=[],
    )
    state = CallState(
        identity=identity,
        auth_type="AWS_IAM" if scenario.backend else "AMAZON_COGNITO_USER_POOLS",
        variables={},
        headers={},
        operation_type=resolver.type_name.lower(),
    )
    try:
        runner.run(resolver, call, state)
    except FieldError as error:
        culprit = loaded[-1] if loaded else "<no template>"
        stop = Stop(culprit, error.error_type, error.message)
        return ResolverRun(resolver.key, scenario.reason, tuple(loaded[:-1]), stop)
    return ResolverRun(resolver.key, scenario.reason, tuple(loaded), None)


def _stop_problems(
    run: ResolverRun, allowed_stops: dict[tuple[str, str], str], used: set[tuple[str, str]]
) -> list[str]:
    if run.stop is None:
        return []
    where = (run.resolver, run.stop.template)
    label = f"{run.resolver} ({run.scenario})" if run.scenario else run.resolver
    if not run.stop.deliberate:
        return [f"{label}: {run.stop.template}: {run.stop.message}"]
    if where in allowed_stops:
        used.add(where)
        return []
    return [
        f"{label}: {run.stop.template} raised {run.stop.error_type} "
        f"{run.stop.message!r} for the representative request"
    ]


def templates_of(resolver: Resolver, functions: Sequence[PipelineFunction]) -> list[str]:
    by_name = {f.name: f for f in functions}
    paths = [resolver.request]
    for name in resolver.functions if resolver.kind == "PIPELINE" else ():
        function = by_name.get(name)
        paths += [function.request, function.response] if function else []
    paths.append(resolver.response)
    return [p for p in paths if p]


def rendering_problems(
    resolvers: Sequence[Resolver],
    functions: Sequence[PipelineFunction],
    world: World,
    data_sources: Sequence[DataSource],
    scenarios: dict[str, tuple[Scenario, ...]],
    allowed_stops: dict[tuple[str, str], str],
    load: Callable[[str], str] = load_template,
) -> list[str]:
    """Every template must render to JSON for its representative requests.

    Each resolver runs once per scenario listed for it, or once with the plainest
    request. A template that is not valid VTL or JSON always fails. A `$util.error` that
    stops a run is accepted only where `allowed_stops[(resolver, template)]` gives the
    reason; and every template must render somewhere, so neither an accepted stop nor a
    `#return` can hide a template from the check.
    """
    problems: list[str] = []
    rendered: set[str] = set()
    named: set[str] = set()
    used_allowances: set[tuple[str, str]] = set()
    known = {r.key for r in resolvers}
    problems += [f"scenarios name {key}, which has no resolver" for key in scenarios.keys() - known]
    for resolver in resolvers:
        if not resolver.request and resolver.kind == "UNIT":
            continue
        named.update(templates_of(resolver, functions))
        for scenario in scenarios.get(resolver.key, (Scenario(),)):
            run = run_resolver(resolver, world, data_sources, functions, scenario, load)
            rendered.update(run.rendered)
            problems += _stop_problems(run, allowed_stops, used_allowances)
    used = {name for r in resolvers if r.kind == "PIPELINE" for name in r.functions}
    for function in functions:
        if function.name not in used:
            problems.append(
                f"pipeline function {function.name} is in no resolver, so never renders"
            )
    for path in sorted(named - rendered):
        problems.append(f"template {path} never rendered to JSON in any resolver")
    for resolver_key, template in sorted(set(allowed_stops) - used_allowances):
        problems.append(f"allowed stop ({resolver_key}, {template}) no longer happens")
    return problems


def _with_source(source: Any, scenario: Any) -> Any:
    """The parent item, with what the scenario says it stores on top."""
    if isinstance(source, dict) and scenario.source:
        return {**source, **scenario.source}
    return source
