"""`python -m stacksettings.readme [--write | --check]`: the README's settings table.

The table between the markers in `README.md` is made from `stacksettings.keys.KEYS` (meaning,
allowed values, default) and the values `Pulumi.dev.yaml` and `Pulumi.prod.yaml` really set,
never edited by hand: with no option this prints it, `--write` puts it into the README,
`--check` exits 1 when the README's copy differs (`tests/unit/test_settings_readme.py`
makes the same comparison, so a stale table fails the tests).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen import section
from stacksettings.config_values import PROJECT
from stacksettings.keys import KEYS, Key
from stacksettings.settings import PROJECT_DIR, stack_config

README = PROJECT_DIR / "README.md"
STACKS = ("dev", "prod")
BEGIN = (
    "<!-- settings table: made by `python -m stacksettings.readme --write` from "
    "stacksettings/keys.py; do not edit by hand -->"
)
END = "<!-- end of settings table -->"
HEADER = (
    "| key | meaning | allowed | default | dev | prod |",
    "| --- | --- | --- | --- | --- | --- |",
)
_ABSENT = object()
NOTHING = "\u2013"  # an en dash: not set


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) if value else NOTHING
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value)
    return f"`{value}`"


def _stack_value(config: dict[str, Any], key: Key) -> Any:
    value: Any = config.get(f"{PROJECT}:{key.path.split('.')[0]}", _ABSENT)
    for part in key.path.split(".")[1:]:
        value = value.get(part, _ABSENT) if isinstance(value, dict) else _ABSENT
    return value


def _default(key: Key) -> str:
    if key.required:
        return "required"
    if key.default is None or key.default == {}:
        return NOTHING
    return _shown(key.default)


def row(key: Key, configs: dict[str, dict[str, Any]]) -> str:
    cells = [f"`{key.path}`", _cell(key.meaning), _cell(key.allowed_text()), _default(key)]
    for stack in STACKS:
        note = key.dev_note if stack == "dev" else key.prod_note
        if key.kind == "object" and key.path != "tags":
            cells.append(f"see `{key.path}.*`")
            continue
        value = _stack_value(configs[stack], key)
        shown = NOTHING if value is _ABSENT else _shown(value)
        cells.append(f"{shown} {note}".strip())
    return "| " + " | ".join(cells) + " |"


def table(project_dir: Path = PROJECT_DIR) -> str:
    configs = {stack: stack_config(stack, project_dir) for stack in STACKS}
    region = " | ".join(_shown(configs[s].get("aws:region", NOTHING)) for s in STACKS)
    return "\n".join(
        [
            *HEADER,
            f"| `aws:region` | the AWS region (Pulumi's own key) | a region name | required "
            f"| {region} |",
            *(row(key, configs) for key in KEYS),
        ]
    )


def documented(text: str) -> str:
    """The table as the README holds it (between the markers)."""
    return section.documented(text, BEGIN, END, README.name)


def main(argv: Sequence[str] | None = None) -> int:
    return section.run(
        argv,
        prog="python -m stacksettings.readme",
        description=__doc__,
        page=lambda: README,
        generate=table,
        begin=BEGIN,
        end=END,
    )


if __name__ == "__main__":
    sys.exit(main())
