"""The README's settings table is the one `stacksettings.keys` generates, and every key is in it."""

from __future__ import annotations

from stacksettings import readme
from stacksettings.keys import KEYS
from stacksettings.settings import SETTING_KEYS, settings_from_config, stack_config
from tests.support.generated_pages import assert_stale_page_is_noticed


def test_the_readme_table_is_the_generated_one():
    assert readme.documented(readme.README.read_text()) == readme.table(), (
        "README.md's settings table is stale: run .venv/bin/python -m stacksettings.readme --write"
    )


def test_every_declared_key_has_a_row_and_every_top_level_key_is_read():
    rows = readme.table().splitlines()
    for key in KEYS:
        assert any(row.startswith(f"| `{key.path}` |") for row in rows), key.path
    assert set(SETTING_KEYS) == {k.path for k in KEYS if "." not in k.path}


def test_a_stale_table_is_noticed(tmp_path, monkeypatch, capsys):
    assert_stale_page_is_noticed(
        monkeypatch,
        capsys,
        module=readme,
        attribute="README",
        copy=tmp_path / "README.md",
        main=readme.main,
        old="| `prefix` |",
        new="| `prefixx` |",
    )


def test_the_documented_defaults_are_the_values_a_stack_gets_without_the_key():
    """A default written in the table is what validation fills in when prod leaves a key out."""
    config = stack_config("prod")
    checked = []
    for key in KEYS:
        if "." in key.path or key.required or key.kind == "object":
            continue
        if f"realtime-chat:{key.path}" not in config:
            continue
        trimmed = {k: v for k, v in config.items() if k != f"realtime-chat:{key.path}"}
        defaulted = settings_from_config(trimmed)
        holder = defaulted.alarms if key.path.startswith("alarm") else defaulted
        assert getattr(holder, key.field) == key.default, key.path
        checked.append(key.path)
    assert "kmsKeyRotationDays" in checked and "wafRateLimit" in checked
