"""`python -m chatspec.describe Type.field` (or `make describe FIELD=...`): a field's whole path.

Prints, for one schema field: its definition in `schema.graphql` (with the line), the
resolver kind, every template it runs in order (before, each pipeline function's request
and response, after; or the unit resolver's request and response), the data source of each
step, the IAM actions those data sources' roles are granted for this field, the Lambda and
handler action behind it, and the test files that mention the field. Everything is read
from the specification (`chatspec.resolvers`, `chatspec.datasources`, `chatspec.lambdas`),
so what it prints is what is deployed and what the emulator runs.

Only this command reads `schema.graphql` with graphql-core's parser (a development tool,
not something a Lambda or a component imports).
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chatspec.datasources import data_source
from chatspec.iam import merge_grants
from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE, LAMBDAS
from chatspec.model import Grant, LambdaFunction, Resolver
from chatspec.resolvers import PIPELINE_FUNCTIONS, RESOLVERS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema.graphql"
VTL = ROOT / "vtl"
TESTS = ROOT / "tests"


@dataclass(frozen=True)
class Step:
    """One template pair and the data source it runs against (None for before/after)."""

    role: str
    name: str
    request: str | None
    response: str | None
    data_source: str | None = None
    grants: tuple[Grant, ...] = ()


@dataclass
class Description:
    key: str
    schema: str
    schema_line: int
    resolver: Resolver | None
    steps: list[Step] = field(default_factory=list)
    lambdas: list[tuple[LambdaFunction, str]] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=2)
def _parsed(sdl: str) -> Any:
    """Parsed once per text: describing every field parsed the whole schema each time."""
    from graphql import parse

    return parse(sdl)


def schema_definition(key: str, sdl: str) -> tuple[str, int]:
    """The field's SDL as written (description included) and its line in the schema."""
    from graphql.language import FieldDefinitionNode, ObjectTypeDefinitionNode

    document = _parsed(sdl)

    type_name, field_name = key.split(".")
    for definition in document.definitions:
        if not isinstance(definition, ObjectTypeDefinitionNode):
            continue
        if definition.name.value != type_name:
            continue
        for node in definition.fields or ():
            if isinstance(node, FieldDefinitionNode) and node.name.value == field_name:
                start = node.description.loc if node.description else node.loc
                assert start is not None and node.loc is not None
                text = sdl[start.start : node.loc.end]
                return text, start.start_token.line
    raise KeyError(f"{key} is not a field of an object type in {SCHEMA.name}")


def wiring_module(key: str) -> str:
    """The `chatspec/resolvers/<area>.py` whose RESOLVERS wire `key`."""
    from chatspec import resolvers

    for module in resolvers.AREAS:
        if any(r.key == key for r in module.RESOLVERS):
            return f"chatspec/resolvers/{module.__name__.rsplit('.', 1)[1]}.py"
    raise KeyError(key)


def _steps(resolver: Resolver) -> Iterator[Step]:
    if resolver.kind == "UNIT":
        source = resolver.data_source
        response = resolver.response
        if response is None and source and data_source(source).kind == "AWS_LAMBDA":
            response = DIRECT_LAMBDA_RESPONSE
        yield Step("unit", resolver.key, resolver.request, response, source, resolver.grants)
        return
    yield Step("before", "pipeline", resolver.request, None)
    functions = {f.name: f for f in PIPELINE_FUNCTIONS}
    for name in resolver.functions:
        f = functions[name]
        yield Step("function", f.name, f.request, f.response, f.data_source, f.grants)
    yield Step("after", "pipeline", None, resolver.response)


def _lambdas(resolver: Resolver, steps: Sequence[Step]) -> list[tuple[LambdaFunction, str]]:
    found = []
    for step in steps:
        if step.data_source and data_source(step.data_source).kind == "AWS_LAMBDA":
            name = data_source(step.data_source).function
            spec = next(f for f in LAMBDAS if f.name == name)
            found.append((spec, f"functions/{spec.name}/handler.py"))
    return found


_WORD = re.compile(r"\w+")


def mentioning_tests(key: str, tests_dir: Path = TESTS) -> list[str]:
    """Test files that name the field (`banMember`, or `Mutation.banMember`) as a word."""
    field_name = key.split(".")[1]
    return [name for name, words in _test_words(tests_dir) if field_name in words]


def _test_words(tests_dir: Path) -> list[tuple[str, frozenset[str]]]:
    """(path from the repository, the words in it) of every test source, read once per
    directory and modification times: describing every field searched every test file
    once per field (7 s for the whole schema)."""
    paths = sorted(
        path
        for path in tests_dir.rglob("*")
        if path.suffix in (".py", ".mjs", ".js", ".graphql") and path.is_file()
    )
    return _read_words(tests_dir, tuple((path, path.stat().st_mtime_ns) for path in paths))


@functools.lru_cache(maxsize=2)
def _read_words(
    tests_dir: Path, stamp: tuple[tuple[Path, int], ...]
) -> list[tuple[str, frozenset[str]]]:
    return [
        (
            path.relative_to(tests_dir.parent).as_posix(),
            frozenset(_WORD.findall(path.read_text("utf-8", "replace"))),
        )
        for path, _ in stamp
    ]


def describe(key: str) -> Description:
    if not re.fullmatch(r"[A-Z]\w*\.\w+", key):
        raise KeyError(f"{key!r} is not Type.field, e.g. Mutation.banMember")
    schema, line = schema_definition(key, SCHEMA.read_text(encoding="utf-8"))
    resolver = next((r for r in RESOLVERS if r.key == key), None)
    description = Description(key, schema, line, resolver)
    if resolver is not None:
        description.steps = list(_steps(resolver))
        description.lambdas = _lambdas(resolver, description.steps)
    description.tests = mentioning_tests(key)
    return description


def _grant_text(grant: Grant) -> str:
    where = f"{grant.table}/index/{grant.index}" if grant.index else grant.table
    return f"{', '.join(grant.actions)} on {where}"


def render(description: Description) -> str:
    lines = [f"{description.key}", "", f"schema.graphql:{description.schema_line}"]
    lines += [f"  {text}" for text in description.schema.splitlines()]
    resolver = description.resolver
    if resolver is None:
        lines += ["", "resolver: none (the parent's resolver returns this field)"]
    else:
        lines += ["", f"resolver: {resolver.kind}, wired in {wiring_module(resolver.key)}"]
        if resolver.description:
            lines.append(f"  {resolver.description}")
        lines += ["", "templates, in the order they run:"]
        for step in description.steps:
            source = f"  [data source {step.data_source}]" if step.data_source else ""
            label = step.role if step.role != "function" else f"function {step.name}"
            if step.role == "unit" and step.request is None:
                lines.append(f"  {label:<32} request  (none: direct Lambda){source}")
            for kind, path in (("request", step.request), ("response", step.response)):
                if path is not None:
                    lines.append(f"  {label:<32} {kind:<8} vtl/{path}{source}")
        sources = sorted({s.data_source for s in description.steps if s.data_source})
        lines += ["", "data sources and the IAM grants this field adds to their roles:"]
        for source in sources:
            spec = data_source(source)
            target = spec.table or spec.function or "no AWS resource"
            lines.append(f"  {source} ({spec.kind}, {target})")
            grants = [g for s in description.steps if s.data_source == source for g in s.grants]
            for grant in merge_grants(grants):
                lines.append(f"    {_grant_text(grant)}")
            if spec.kind == "AWS_LAMBDA":
                lines.append("    lambda:InvokeFunction on the function")
        for function, handler in description.lambdas:
            lines += [
                "",
                f"Lambda {function.name}: action {description.key} in {handler} (ACTIONS)",
            ]
            lines += [f"  role grants {_grant_text(g)}" for g in function.grants]
    lines += ["", "tests that mention it:"]
    lines += [f"  {path}" for path in description.tests] or ["  (none)"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chatspec.describe", description=__doc__)
    parser.add_argument("field", help="Type.field, e.g. Mutation.banMember")
    options = parser.parse_args(argv)
    try:
        print(render(describe(options.field)))
    except KeyError as error:
        print(error.args[0], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
