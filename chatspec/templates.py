"""Loading resolver templates and giving them the deployed table names.

AppSync has no environment variables in pulumi-aws 7.51, yet TransactWriteItems and
BatchGetItem requests must name their tables. Templates therefore refer to
`$tables.<logical_name>`, and the one function below prepends a `#set($tables = {...})`
line built from the stack's real names. The Pulumi api component and the emulator both
call it, so a template is deployed and emulated byte for byte the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

VTL_DIR = Path(__file__).resolve().parent.parent / "vtl"
_TABLES_REF = re.compile(r"\$!?\{?tables\.([a-z_]+)")


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


def with_table_names(text: str, table_names: dict[str, str]) -> str:
    """Prefix `text` with the `$tables` map if it uses one; unknown names fail loudly."""
    used = referenced_tables(text)
    if not used:
        return text
    missing = used - table_names.keys()
    if missing:
        raise KeyError(f"template refers to unknown tables {sorted(missing)}")
    literal = json.dumps({name: table_names[name] for name in sorted(used)})
    return f"#set($tables = {literal})\n{text}"
