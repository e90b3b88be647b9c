"""A generated block of a Markdown page, between two marker comments.

`policy.catalog` (docs/policy.md) and `stacksettings.readme` (README.md) each own one; the
page's copy is compared with the generated one by a test, so a stale page fails the suite.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def documented(text: str, begin: str, end: str, page: str) -> str:
    """The block as the page holds it (between the markers)."""
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"{page} has no generated-table markers ({begin!r} ... {end!r})")
    return text[start + len(begin) : stop].strip("\n")


def with_block(text: str, generated: str, begin: str, end: str) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return f"{text[:start]}\n{generated}\n{text[stop:]}"


def run(
    argv: Sequence[str] | None,
    *,
    prog: str,
    description: str | None,
    page: Callable[[], Path],
    generate: Callable[[], str],
    begin: str,
    end: str,
) -> int:
    """The command line: print the block, `--write` it into the page or `--check` it is current.

    `page` is a callable so that tests can point the command at a copy of the page."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the table in the page")
    mode.add_argument("--check", action="store_true", help="exit 1 if the page's table is stale")
    options = parser.parse_args(argv)
    path, generated = page(), generate()
    if options.write:
        path.write_text(with_block(path.read_text(), generated, begin, end))
    elif options.check:
        if documented(path.read_text(), begin, end, path.name) != generated:
            print(f"{path} is stale: run python -m {prog.split()[-1]} --write", file=sys.stderr)
            return 1
    else:
        print(generated)
    return 0
