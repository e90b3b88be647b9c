"""Loading resolver templates and giving them the deployed table names.

AppSync has no environment variables in pulumi-aws 7.51, yet TransactWriteItems and
BatchGetItem requests must name their tables. Templates therefore refer to
`$tables.<logical_name>`, and the one function below prepends a `#set($tables = {...})`
line built from the stack's real names. The Pulumi api component and the emulator both
call it, so a template is deployed and emulated byte for byte the same.

The same function gives templates the API's input rules as `$rules.<name>`
(`chatspec.rules.template_rules`), so sizes and character classes are written once. The
map is a Velocity literal with single-quoted strings, which Velocity never interpolates
or unescapes: a regular expression's backslashes reach `$util.matches` as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

VTL_DIR = Path(__file__).resolve().parent.parent / "vtl"
_TABLES_REF = re.compile(r"\$!?\{?tables\.([a-z_]+)")
_RULES_REF = re.compile(r"\$!?\{?rules\.([A-Za-z]+)")
_ROOM_SETTINGS_REF = re.compile(r"\$!?\{?roomSettings\b")


def template_path(relative: str) -> Path:
    return VTL_DIR / relative


def load_template(relative: str) -> str:
    path = template_path(relative)
    if not path.is_file():
        raise FileNotFoundError(f"resolver template {relative!r} not found under {VTL_DIR}")
    return path.read_text(encoding="utf-8")


def referenced_tables(text: str) -> set[str]:
    """Logical table names a template reaches through `$tables.<name>`."""
    return set(_TABLES_REF.findall(text))


def referenced_rules(text: str) -> set[str]:
    """Rule names a template reaches through `$rules.<name>`."""
    return set(_RULES_REF.findall(text))


def _velocity_literal(value: object) -> str:
    if isinstance(value, dict):
        entries = ", ".join(
            f"{_velocity_literal(k)}: {_velocity_literal(v)}" for k, v in value.items()
        )
        return "{" + entries + "}"
    if isinstance(value, str):
        if "'" in value:
            raise ValueError(f"a rule may not contain a single quote: {value!r}")
        return f"'{value}'"
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"rules are strings, integers or maps of them, got {value!r}")
    return str(value)


def _velocity_value(value: object) -> str:
    """Any plain value (str, int, bool, list, dict) as a Velocity literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_velocity_value(v) for v in value) + "]"
    if isinstance(value, dict):
        entries = ", ".join(f"'{k}': {_velocity_value(v)}" for k, v in value.items())
        return "{" + entries + "}"
    return _velocity_literal(value)


def room_settings_prelude() -> str:
    """`$roomSettings`: the declarations and defaults of `chatspec.room_settings`."""
    from chatspec.room_settings import template_settings

    return f"#set($roomSettings = {_velocity_value(template_settings())})\n"


def rules_prelude(names: set[str]) -> str:
    from chatspec.rules import template_rules

    rules = template_rules()
    missing = names - rules.keys()
    if missing:
        raise KeyError(f"template refers to unknown rules {sorted(missing)}")
    entries = ", ".join(f"'{name}': {_velocity_literal(rules[name])}" for name in sorted(names))
    return f"#set($rules = {{{entries}}})\n"


def with_table_names(text: str, table_names: dict[str, str]) -> str:
    """Prefix `text` with the `$tables` map, the `$rules` map and `$roomSettings` if it
    uses them; unknown names fail loudly."""
    prelude = ""
    rules = referenced_rules(text)
    if rules:
        prelude += rules_prelude(rules)
    if _ROOM_SETTINGS_REF.search(text):
        prelude += room_settings_prelude()
    used = referenced_tables(text)
    if used:
        missing = used - table_names.keys()
        if missing:
            raise KeyError(f"template refers to unknown tables {sorted(missing)}")
        literal = json.dumps({name: table_names[name] for name in sorted(used)})
        prelude += f"#set($tables = {literal})\n"
    return prelude + text
