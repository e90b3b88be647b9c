"""AppSyncEngine: one GraphQL request executed the way AppSync executes it.

graphql-core does parsing, validation and execution; every object field gets one
resolver function that applies AppSync's field authorization and then runs the field's
VTL/Lambda resolver (or reads the parent's attribute of the same name).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from inspect import isawaitable
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    execute,
    get_location,
    get_named_type,
    parse,
    validate,
)
from graphql.utilities import get_operation_ast

import chatspec
from chatspec.model import DataSource, PipelineFunction, Resolver
from chatspec.templates import load_template, with_table_names
from emulator.core.auth import FieldAuthorizer, unauthorized_message
from emulator.core.batching import run_to_completion
from emulator.core.errors import FieldError, format_error, request_error
from emulator.core.limits import LIMIT_ERROR, ApiLimits, introspection_fields
from emulator.core.resolvers import CallState, FieldCall, ResolverRunner
from emulator.core.schema import load_schema
from emulator.core.selection import (
    selected_fields,
    selection_set_graphql,
    selection_set_list,
    unalias,
)
from emulator.core.subscriptions import Subscription, SubscriptionRegistry, root_field
from emulator.datasources import (
    DataSourceError,
    DynamoDbDataSource,
    LambdaDataSource,
    NoneDataSource,
)

COGNITO = "AMAZON_COGNITO_USER_POOLS"
VALID_DOCUMENTS_KEPT = 512
"""Parsed and validated query strings kept for reuse (oldest dropped first)."""
IAM = "AWS_IAM"
LambdaHandler = Callable[[dict[str, Any], Any], Any]


class _MissingLambda:
    """A Lambda data source whose handler was not given: fails when used, not at startup."""

    def __init__(self, name: str) -> None:
        self.name = name

    def invoke(self, request: Any) -> Any:
        raise DataSourceError(f"no handler registered for Lambda {self.name!r}", "Lambda:Unknown")


class AppSyncEngine:
    """Execute queries and mutations, and set up subscriptions, against the chat schema.

    By default the wiring comes from `chatspec`; tests may pass their own `resolvers`,
    `functions`, `data_sources` and a `template_loader` (relative path to text).
    """

    def __init__(
        self,
        schema_sdl: str,
        dynamodb_client: Any,
        table_names: dict[str, str],
        lambda_handlers: dict[str, LambdaHandler],
        *,
        resolvers: Iterable[Resolver] | None = None,
        functions: Iterable[PipelineFunction] | None = None,
        data_sources: Iterable[DataSource] | None = None,
        template_loader: Callable[[str], str] | None = None,
        default_auth: str = COGNITO,
        additional_auth: tuple[str, ...] = (IAM,),
        clock: Callable[[], float] = time.time,
        limits: ApiLimits | None = None,
    ) -> None:
        self.limits = limits or ApiLimits()
        self.schema = load_schema(schema_sdl)
        self.table_names = dict(table_names)
        self.auth_modes = (default_auth, *additional_auth)
        self.authorizer = FieldAuthorizer(self.schema, default_auth)
        self.registry = SubscriptionRegistry(self.schema)
        self.resolvers = {
            (r.type_name, r.field_name): r
            for r in (chatspec.RESOLVERS if resolvers is None else resolvers)
        }
        pipeline_functions = chatspec.PIPELINE_FUNCTIONS if functions is None else functions
        self._load = template_loader or load_template
        self._templates: dict[str, str] = {}
        self._valid_documents: dict[str, Any] = {}
        self._templates_lock = threading.Lock()
        self.data_sources = self._build_data_sources(
            chatspec.DATA_SOURCES if data_sources is None else data_sources,
            dynamodb_client,
            lambda_handlers,
        )
        self.runner = ResolverRunner(
            self.data_sources,
            self.template,
            {f.name: f for f in pipeline_functions},
            clock,
        )
        self._check_wiring()

    def _build_data_sources(
        self, specs: Iterable[DataSource], client: Any, handlers: dict[str, LambdaHandler]
    ) -> dict[str, Any]:
        built: dict[str, Any] = {}
        for spec in specs:
            if spec.kind == "AMAZON_DYNAMODB":
                if spec.table not in self.table_names:
                    raise KeyError(
                        f"data source {spec.name} uses table {spec.table!r}, which is not in "
                        f"table_names {sorted(self.table_names)}"
                    )
                built[spec.name] = DynamoDbDataSource(client, self.table_names[spec.table])
            elif spec.kind == "AWS_LAMBDA":
                handler = handlers.get(spec.function or "")
                built[spec.name] = (
                    LambdaDataSource(spec.function or spec.name, handler)
                    if handler is not None
                    else _MissingLambda(spec.function or spec.name)
                )
            else:
                built[spec.name] = NoneDataSource()
        return built

    def _check_wiring(self) -> None:
        for (type_name, field_name), resolver in self.resolvers.items():
            type_ = self.schema.type_map.get(type_name)
            if not isinstance(type_, GraphQLObjectType) or field_name not in type_.fields:
                raise ValueError(f"resolver {resolver.key} names a field not in the schema")

    def template(self, relative: str) -> str:
        """A template's text with the `$tables` prelude, loaded once."""
        with self._templates_lock:
            text = self._templates.get(relative)
        if text is None:
            text = with_table_names(self._load(relative), self.table_names)
            with self._templates_lock:
                self._templates[relative] = text
        return text

    def _resolve(self, source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        state: CallState = info.context
        type_name, field_name = info.parent_type.name, info.field_name
        too_deep = self.limits.depth_error(info.path.as_list())
        if too_deep:
            raise FieldError(too_deep, LIMIT_ERROR)
        if not self.authorizer.allows(type_name, field_name, state.auth_type, state.identity):
            raise FieldError(unauthorized_message(field_name, type_name), "Unauthorized")
        if type_name == "Subscription":
            state.subscription_arguments = arguments
        resolver = self.resolvers.get((type_name, field_name))
        if resolver is None:
            if isinstance(source, dict):
                return source.get(field_name)
            return getattr(source, field_name, None)
        state.resolvers_invoked += 1
        too_many = self.limits.resolver_count_error(state.resolvers_invoked)
        if too_many:
            raise FieldError(too_many, LIMIT_ERROR)
        fragments = info.fragments
        call = FieldCall(
            type_name=type_name,
            field_name=field_name,
            arguments=arguments,
            source=source,
            info={
                "fieldName": field_name,
                "parentTypeName": type_name,
                "variables": state.variables,
                "selectionSetList": selection_set_list(list(info.field_nodes), fragments),
                "selectionSetGraphQL": selection_set_graphql(list(info.field_nodes)),
            },
            path=info.path.as_list(),
            locations=_locations(info.field_nodes),
        )
        return self.runner.run(resolver, call, state)

    def _authenticate(self, identity: dict[str, Any] | None, auth_type: str) -> dict | None:
        if identity is None or auth_type not in self.auth_modes:
            return {
                "errors": [
                    request_error(
                        "Valid authorization header not provided.", "UnauthorizedException"
                    )
                ]
            }
        return None

    def _prepare(
        self,
        query: str,
        operation_name: str | None,
        identity: dict[str, Any] | None,
        auth_type: str,
    ) -> tuple[Any, OperationDefinitionNode | None, dict | None]:
        """The parsed document and its operation, or the response refusing the request."""
        refused = self._authenticate(identity, auth_type)
        if refused:
            return None, None, refused
        document = self._valid_documents.get(query)
        if document is None:
            try:
                document = parse(query)
            except GraphQLError as exc:
                error = format_error(exc, "MalformedHttpRequestException")
                error["path"] = None
                return None, None, {"errors": [error]}
            problems = validate(self.schema, document)
            if problems:
                return (
                    None,
                    None,
                    {"errors": [format_error(e, "ValidationError") for e in problems]},
                )
            if not self.limits.introspection:
                hidden = [
                    request_error(
                        "Validation error of type FieldUndefined: Field "
                        f"'{node.name.value}' is undefined: introspection is disabled on this API",
                        "ValidationError",
                    )
                    for node in introspection_fields(document)
                ]
                if hidden:
                    return None, None, {"errors": hidden}
            self._remember(query, document)
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            message = (
                f"Unknown operation named '{operation_name}'."
                if operation_name
                else "Must provide operation name if query contains multiple operations."
            )
            return None, None, {"errors": [request_error(message, "ValidationError")]}
        return document, operation, None

    def _remember(self, query: str, document: Any) -> None:
        """Keep a valid document for reuse: clients send the same few query strings, and
        parsing plus validating one costs more than a DynamoDB request here."""
        with self._templates_lock:
            if len(self._valid_documents) >= VALID_DOCUMENTS_KEPT:
                self._valid_documents.pop(next(iter(self._valid_documents)))
            self._valid_documents[query] = document

    def _run(
        self,
        document: Any,
        operation_type: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        identity: dict[str, Any] | None,
        auth_type: str,
        headers: dict[str, Any] | None,
    ) -> tuple[ExecutionResult, CallState]:
        """Executes the document's operation with a fresh CallState; returns both."""
        state = CallState(
            identity=identity,
            auth_type=auth_type,
            variables=dict(variables or {}),
            headers=dict(headers or {}),
            operation_type=operation_type,
        )
        result = execute(
            self.schema,
            document,
            context_value=state,
            variable_values=variables,
            operation_name=operation_name,
            field_resolver=self._resolve,
        )
        if isawaitable(result):  # batched fields (BatchInvoke) resolve asynchronously
            result = run_to_completion(result)
        if not isinstance(result, ExecutionResult):
            raise TypeError(f"the execution gave {type(result).__name__}, not a result")
        return result, state

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        identity: dict[str, Any] | None = None,
        auth_type: str = COGNITO,
        headers: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run a query or mutation; returns AppSync's `{"data", "errors"}` response."""
        document, operation, failed = self._prepare(query, operation_name, identity, auth_type)
        if failed or operation is None:  # _prepare gives an operation or a refusal
            return failed or {}
        operation_type = operation.operation.value
        if operation_type == "subscription":
            return {
                "errors": [
                    request_error(
                        "Subscriptions are served over the real-time endpoint, not over HTTP.",
                        "UnsupportedOperation",
                    )
                ]
            }
        result, state = self._run(
            document, operation_type, variables, operation_name, identity, auth_type, headers
        )
        errors = [
            format_error(e, "ValidationError" if result.data is None and not e.path else None)
            for e in result.errors or ()
        ]
        errors.extend(state.extra_errors)
        response: dict[str, Any] = {"data": result.data}
        if errors:
            response["errors"] = errors
        if operation_type == "mutation" and result.data is not None:
            self._publish(operation, document, result.data, errors, state)
        return response

    def _publish(
        self,
        operation: OperationDefinitionNode,
        document: Any,
        data: dict[str, Any],
        errors: list[dict[str, Any]],
        state: CallState,
    ) -> None:
        fragments = _fragments(document)
        failed = {e["path"][0] for e in errors if e.get("path")}
        for node in operation.selection_set.selections:
            if not isinstance(node, FieldNode):
                continue
            key = node.alias.value if node.alias else node.name.value
            if key in failed:
                continue
            value = data.get(key)
            if value is not None:
                payload = unalias(value, node.selection_set, fragments)
                self.registry.publish(node.name.value, payload)
            for invalidation in state.invalidations.get(key, []):
                self.registry.invalidate(
                    invalidation["subscriptionField"], invalidation.get("payload") or {}
                )

    def _denied_selection(
        self,
        node: FieldNode,
        fragments: dict[str, Any],
        identity: dict[str, Any] | None,
        auth_type: str,
    ) -> dict[str, Any] | None:
        """AppSync checks every field a subscription selects when it is registered,
        since delivery skips resolvers: one unauthorized field refuses the subscription."""
        subscription_type = self.schema.subscription_type
        pending = [(subscription_type, node)]
        while pending:
            parent, field_node = pending.pop()
            field_def = parent.fields.get(field_node.name.value) if parent else None
            if field_def is None:
                continue
            named = get_named_type(field_def.type)
            if not isinstance(named, GraphQLObjectType):
                continue
            for child in selected_fields(field_node.selection_set, fragments):
                name = child.name.value
                if not self.authorizer.allows(named.name, name, auth_type, identity):
                    error = request_error(unauthorized_message(name, named.name), "Unauthorized")
                    error["locations"] = _locations([child])
                    return error
                pending.append((named, child))
        return None

    def subscribe(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        identity: dict[str, Any] | None = None,
        auth_type: str = COGNITO,
        headers: dict[str, Any] | None = None,
    ) -> Subscription | dict[str, Any]:
        """Run the subscription field's resolver; a Subscription, or `{"errors": [...]}`.

        The caller adds it to `engine.registry` once its callbacks are set.
        """
        document, operation, failed = self._prepare(query, operation_name, identity, auth_type)
        if failed or operation is None:  # _prepare gives an operation or a refusal
            return failed or {}
        if operation.operation.value != "subscription":
            return {
                "errors": [
                    request_error(
                        "Only subscription operations can be subscribed to.", "ValidationError"
                    )
                ]
            }
        result, state = self._run(
            document, "subscription", variables, operation_name, identity, auth_type, headers
        )
        errors = [
            format_error(e, "ValidationError" if not e.path else None) for e in result.errors or ()
        ]
        errors.extend(state.extra_errors)
        if errors:
            return {"errors": errors}
        node = root_field(operation)
        if node is None:  # validation admits no operation without a field
            return {
                "errors": [request_error("The subscription selects no field.", "ValidationError")]
            }
        fragments = _fragments(document)
        denied = self._denied_selection(node, fragments, identity, auth_type)
        if denied is not None:
            return {"errors": [denied]}
        return Subscription(
            field_name=node.name.value,
            response_key=node.alias.value if node.alias else node.name.value,
            arguments=dict(state.subscription_arguments or {}),
            field_node=node,
            fragments=fragments,
            identity=identity,
            auth_type=auth_type,
            filter=state.subscription_filter,
            invalidation_filter=state.invalidation_filter,
        )


def _fragments(document: Any) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _locations(field_nodes: Iterable[FieldNode]) -> list[dict[str, Any]]:
    out = []
    for node in field_nodes:
        if node.loc is not None:
            location = get_location(node.loc.source, node.loc.start)
            out.append({"line": location.line, "column": location.column, "sourceName": None})
    return out
