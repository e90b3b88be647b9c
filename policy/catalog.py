"""`python -m policy.catalog [--write | --check]`: the policy table of docs/policy.md.

The table between the markers in `docs/policy.md` is made from the registry (name, module,
enforcement, severity, kind, description, link), never edited by hand: with no option this
prints it, `--write` puts it into the page, `--check` exits 1 when the page's copy differs
(`tests/policy/test_catalog.py` makes the same comparison, so a stale table fails the tests).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

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
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOC.name} has no policy table markers ({BEGIN!r} ... {END!r})")
    return text[start + len(BEGIN) : end].strip("\n")


def with_table(text: str, generated: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return f"{text[:start]}\n{generated}\n{text[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy.catalog", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help=f"rewrite the table in {DOC.name}")
    mode.add_argument("--check", action="store_true", help="exit 1 if the page's table is stale")
    options = parser.parse_args(argv)
    generated = table(discover())
    if options.write:
        DOC.write_text(with_table(DOC.read_text(), generated))
    elif options.check:
        if documented(DOC.read_text()) != generated:
            print(f"{DOC} is stale: run python -m policy.catalog --write", file=sys.stderr)
            return 1
    else:
        print(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
