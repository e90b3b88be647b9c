"""`python -m policy.catalog [--write | --check]`: the policy table of docs/policy.md.

The table between the markers in `docs/policy.md` is made from the registry (name, module,
enforcement, severity, kind, description, link), never edited by hand: with no option this
prints it, `--write` puts it into the page, `--check` exits 1 when the page's copy differs
(`tests/policy/test_catalog.py` makes the same comparison, so a stale table fails the tests).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from docgen import section
from policy.chat_policies.registry import Registered, discover
from policy.evaluation import enforcement_of

DOC = Path(__file__).resolve().parent.parent / "docs" / "policy.md"
BEGIN = "<!-- policy table: made by `python -m policy.catalog --write`; do not edit by hand -->"
END = "<!-- end of policy table -->"
HEADER = (
    "| policy | defined in | enforcement | severity | kind | why it matters | documentation |",
    "| --- | --- | --- | --- | --- | --- | --- |",
)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _link(url: str) -> str:
    """`[rotate-keys](url)`: the page's file name (and anchor) is what names its topic."""
    parts = urlsplit(url)
    page = parts.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    label = f"{page}#{parts.fragment}" if parts.fragment else page
    return f"[{label}]({url})"


def row(entry: Registered) -> str:
    cells = (
        f"`{entry.name}`",
        f"`{entry.module.replace('.', '/')}.py`",
        enforcement_of(entry.policy).value,
        entry.severity,
        entry.kind,
        _cell(entry.policy.description),
        _link(entry.link),
    )
    return "| " + " | ".join(cells) + " |"


def table(entries: Sequence[Registered]) -> str:
    stack = sum(1 for entry in entries if entry.kind == "stack")
    count = f"{len(entries)} policies ({len(entries) - stack} resource, {stack} stack):"
    return "\n".join([count, "", *HEADER, *(row(entry) for entry in entries)])


def documented(text: str) -> str:
    """The table as `docs/policy.md` holds it (between the markers)."""
    return section.documented(text, BEGIN, END, DOC.name)


def main(argv: Sequence[str] | None = None) -> int:
    return section.run(
        argv,
        prog="python -m policy.catalog",
        description=__doc__,
        page=lambda: DOC,
        generate=lambda: table(discover()),
        begin=BEGIN,
        end=END,
    )


if __name__ == "__main__":
    sys.exit(main())
