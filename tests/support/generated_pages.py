"""The check every generated docs table gets: a stale copy is noticed and `--write` mends it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest


def assert_stale_page_is_noticed(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    module: object,
    attribute: str,
    copy: Path,
    main: Callable[[Sequence[str]], int],
    old: str,
    new: str,
) -> None:
    """Point `module.attribute` (the page) at `copy` with `old` replaced by `new` once."""
    text = getattr(module, attribute).read_text()
    assert old in text
    copy.write_text(text.replace(old, new, 1))
    monkeypatch.setattr(module, attribute, copy)
    assert main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--write"]) == 0
    assert copy.read_text() == text
    assert main(["--check"]) == 0
