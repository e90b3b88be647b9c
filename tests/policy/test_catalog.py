"""docs/policy.md's policy table is the one the registry generates (policy/catalog.py)."""

from __future__ import annotations

from policy import catalog
from policy.chat_policies.registry import discover
from tests.support.generated_pages import assert_stale_page_is_noticed


def test_the_documented_table_is_the_generated_one():
    documented = catalog.documented(catalog.DOC.read_text())
    assert documented == catalog.table(discover()), (
        "docs/policy.md is stale: run .venv/bin/python -m policy.catalog --write"
    )


def test_the_table_has_a_row_per_policy_with_severity_and_link():
    entries = discover()
    rows = [line for line in catalog.table(entries).splitlines() if line.startswith("| `")]
    assert len(rows) == len(entries)
    for entry, row in zip(entries, rows, strict=True):
        assert f"`{entry.name}`" in row and f"| {entry.severity} |" in row
        assert f"]({entry.link})" in row


def test_a_stale_table_is_noticed(tmp_path, monkeypatch, capsys):
    assert_stale_page_is_noticed(
        monkeypatch,
        capsys,
        module=catalog,
        attribute="DOC",
        copy=tmp_path / "policy.md",
        main=catalog.main,
        old="| mandatory | high |",
        new="| mandatory | low |",
    )
