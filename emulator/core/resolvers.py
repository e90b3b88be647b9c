"""Running a field's resolver: unit (template, data source, template), pipeline, direct Lambda.

AppSync semantics followed (resolver mapping template programming guide, pipeline
resolvers, `#return`): `$util.error` ends the resolver with a field error; `#return` in a
request template skips the data source (in a pipeline function, also its response
template); `appendError` adds errors and lets the field resolve.

A data-source error reaches the response template as `$ctx.error` (version 2018-05-29).
A template that reads `$ctx.error` has handled it: only what it raises or appends is
reported. A template that never looks at `$ctx.error` would let AppSync swallow the
failure silently; the emulator reports the data-source error instead so such templates
fail tests. With a 2017-02-28 request the response template is skipped and the error
reported, as AppSync does for that version.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chatspec.model import PipelineFunction, Resolver
from emulator.core.batching import Batcher
from emulator.core.errors import FieldError
from emulator.datasources import DataSourceError, LambdaDataSource
from emulator.vtl import Extensions, TemplateError, Util, UtilError, render


@dataclass
class CallState:
    """Everything one GraphQL request shares across its resolvers."""

    identity: dict[str, Any] | None
    auth_type: str
    variables: dict[str, Any]
    headers: dict[str, Any]
    operation_type: str = "query"
    extra_errors: list[dict[str, Any]] = field(default_factory=list)
    invalidations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    subscription_filter: dict[str, Any] | None = None
    invalidation_filter: dict[str, Any] | None = None
    subscription_arguments: dict[str, Any] | None = None
    resolvers_invoked: int = 0
    batcher: Batcher = field(default_factory=Batcher)


@dataclass
class FieldCall:
    """One field being resolved."""

    type_name: str
    field_name: str
    arguments: dict[str, Any]
    source: Any
    info: dict[str, Any]
    path: list[Any]
    locations: list[dict[str, Any]]


_READS_ERROR = re.compile(r"\$!?\{?(?:ctx|context)\.error\b")


class ResolverRunner:
    def __init__(
        self,
        data_sources: dict[str, Any],
        templates: Callable[[str], str],
        functions: dict[str, PipelineFunction],
        clock: Callable[[], float],
    ) -> None:
        self.data_sources = data_sources
        self.templates = templates
        self.functions = functions
        self.clock = clock

    def run(self, resolver: Resolver, call: FieldCall, state: CallState) -> Any:
        context = {
            "arguments": call.arguments,
            "args": call.arguments,
            "identity": copy.deepcopy(state.identity),
            "source": call.source,
            "result": None,
            "error": None,
            "stash": {},
            "prev": {"result": None},
            "info": call.info,
            "request": {"headers": dict(state.headers), "domainName": None},
        }
        extensions = Extensions()
        source = self.data_sources.get(resolver.data_source or "")
        if (
            resolver.max_batch_size
            and resolver.kind == "UNIT"
            and resolver.request is None
            and isinstance(source, LambdaDataSource)
        ):
            return self._batched(resolver, source, call, state, context, extensions)
        try:
            if resolver.kind == "PIPELINE":
                value = self._pipeline(resolver, call, state, context, extensions)
            else:
                value = self._unit(resolver, call, state, context, extensions)
        except UtilError as error:
            raise FieldError(
                error.message, error.error_type, error.data, error.error_info
            ) from None
        except TemplateError as error:
            raise FieldError(str(error), error.error_type) from None
        self._record_extensions(call, state, extensions)
        return value

    def _batched(
        self,
        resolver: Resolver,
        source: LambdaDataSource,
        call: FieldCall,
        state: CallState,
        context: dict,
        extensions: Extensions,
    ) -> Any:
        """A coroutine: the field's context joins the request's batch for this resolver
        (`emulator.core.batching`); its result then goes through the response template."""

        def finish(result: Any, error: Exception | None) -> Any:
            failure = None
            if error is not None:
                failure = (
                    error
                    if isinstance(error, DataSourceError)
                    else DataSourceError(str(error), "Lambda:BatchResponse")
                )
            try:
                value = self._respond(
                    resolver.response,
                    result,
                    failure,
                    "2018-05-29",
                    context,
                    call,
                    state,
                    extensions,
                )
            except UtilError as util_error:
                raise FieldError(
                    util_error.message,
                    util_error.error_type,
                    util_error.data,
                    util_error.error_info,
                ) from None
            self._record_extensions(call, state, extensions)
            return value

        return state.batcher.submit(
            resolver.key,
            resolver.max_batch_size,
            source.call,
            copy.deepcopy(self._direct_event(call, context)),
            finish,
        )

    @staticmethod
    def _direct_event(call: FieldCall, context: dict) -> dict[str, Any]:
        """AppSync's default payload of a direct Lambda resolver."""
        return {
            "arguments": call.arguments,
            "identity": context["identity"],
            "source": call.source,
            "request": context["request"],
            "info": call.info,
            "prev": None,
            "stash": {},
        }

    def _record_extensions(self, call: FieldCall, state: CallState, ext: Extensions) -> None:
        if ext.invalidations:
            state.invalidations.setdefault(str(call.path[0]), []).extend(ext.invalidations)
        if call.type_name == "Subscription":
            state.subscription_filter = ext.subscription_filter
            state.invalidation_filter = ext.invalidation_filter

    def _util(self, call: FieldCall, state: CallState) -> Util:
        return Util(
            field_name=call.field_name,
            parent_type_name=call.type_name,
            auth_type=state.auth_type,
            errors=_ErrorSink(state, call),
            clock=self.clock,
        )

    def _render(
        self,
        relative: str,
        context: dict[str, Any],
        call: FieldCall,
        state: CallState,
        extensions: Extensions,
    ) -> tuple[bool, Any]:
        rendered = render(
            self.templates(relative),
            context,
            util=self._util(call, state),
            extensions=extensions,
            name=relative,
        )
        return rendered.returned, rendered.value()

    def _invoke(
        self, data_source_name: str | None, request: Any
    ) -> tuple[Any, DataSourceError | None]:
        source = self.data_sources.get(data_source_name or "")
        if source is None:
            raise FieldError(f"No data source found named {data_source_name}", "MappingTemplate")
        try:
            return source.invoke(request), None
        except DataSourceError as error:
            return error.result, error

    def _respond(
        self,
        template: str | None,
        result: Any,
        error: DataSourceError | None,
        version: Any,
        context: dict[str, Any],
        call: FieldCall,
        state: CallState,
        extensions: Extensions,
    ) -> Any:
        context["result"] = result
        context["error"] = error.as_context_error() if error else None
        if error is not None and (template is None or version == "2017-02-28"):
            raise FieldError(error.message, error.error_type, error.data)
        if template is None:
            return result
        _, value = self._render(template, context, call, state, extensions)
        if error is not None and not _READS_ERROR.search(self.templates(template)):
            state.extra_errors.append(
                _error_dict(call, error.message, error.error_type, error.data)
            )
        return value

    def _unit(
        self,
        resolver: Resolver,
        call: FieldCall,
        state: CallState,
        context: dict,
        extensions: Extensions,
    ) -> Any:
        source = self.data_sources.get(resolver.data_source or "")
        if resolver.request is None and isinstance(source, LambdaDataSource):
            return self._direct_lambda(resolver, source, call, state, context, extensions)
        if resolver.request is None:
            raise FieldError(
                f"{resolver.key} needs a request template for data source {resolver.data_source}",
                "MappingTemplate",
            )
        returned, request = self._render(resolver.request, context, call, state, extensions)
        if returned:
            return request
        result, error = self._invoke(resolver.data_source, request)
        return self._respond(
            resolver.response, result, error, _version(request), context, call, state, extensions
        )

    def _direct_lambda(
        self,
        resolver: Resolver,
        source: LambdaDataSource,
        call: FieldCall,
        state: CallState,
        context: dict,
        extensions: Extensions,
    ) -> Any:
        """AppSync's default payload; without a response template a function error is the
        field's error, with one the template sees `$ctx.result`/`$ctx.error` (2018-05-29)."""
        event = self._direct_event(call, context)
        result, error = None, None
        try:
            result = source.call(copy.deepcopy(event))
        except DataSourceError as failure:
            if resolver.response is None:
                raise FieldError(failure.message, failure.error_type) from None
            error = failure
        if resolver.response is None:
            return result
        return self._respond(
            resolver.response, result, error, "2018-05-29", context, call, state, extensions
        )

    def _pipeline(
        self,
        resolver: Resolver,
        call: FieldCall,
        state: CallState,
        context: dict,
        extensions: Extensions,
    ) -> Any:
        if resolver.request is not None:
            returned, value = self._render(resolver.request, context, call, state, extensions)
            if returned:
                return value
            context["prev"] = {"result": value}
        for name in resolver.functions:
            function = self.functions.get(name)
            if function is None:
                raise FieldError(f"pipeline function {name!r} is not defined", "MappingTemplate")
            context["prev"] = {"result": self._function(function, call, state, context, extensions)}
        context["result"] = context["prev"]["result"]
        if resolver.response is None:
            return context["result"]
        returned, value = self._render(resolver.response, context, call, state, extensions)
        return value

    def _function(
        self,
        function: PipelineFunction,
        call: FieldCall,
        state: CallState,
        context: dict,
        extensions: Extensions,
    ) -> Any:
        context["result"] = None
        context["error"] = None
        returned, request = self._render(function.request, context, call, state, extensions)
        if returned:
            return request
        result, error = self._invoke(function.data_source, request)
        return self._respond(
            function.response, result, error, "2018-05-29", context, call, state, extensions
        )


def _version(request: Any) -> Any:
    return request.get("version") if isinstance(request, dict) else None


def _error_dict(
    call: FieldCall, message: str, error_type: str | None, data: Any = None, info: Any = None
) -> dict[str, Any]:
    return {
        "path": list(call.path),
        "data": data,
        "errorType": error_type,
        "errorInfo": info,
        "locations": call.locations,
        "message": message,
    }


class _ErrorSink(list):
    """`$util.appendError` target: errors land in the request with the field's path."""

    def __init__(self, state: CallState, call: FieldCall) -> None:
        super().__init__()
        self._state = state
        self._call = call

    def append(self, error: dict[str, Any]) -> None:
        self._state.extra_errors.append(
            _error_dict(
                self._call,
                error["message"],
                error["errorType"],
                error.get("data"),
                error.get("errorInfo"),
            )
        )
