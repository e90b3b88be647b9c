"""mypy reads only the pulumi_aws services listed in pyproject.toml (the rest are skipped
for speed), so a service the program starts to use must be added there, or its resources
would be typed `Any` and their arguments never checked."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
USE = re.compile(r"(?<![.\w])aws\.([a-z][a-z0-9_]*)\b")


def _followed() -> set[str]:
    followed: set[str] = set()
    for override in CONFIG["overrides"]:
        if override.get("follow_imports") == "silent":
            followed.update(override["module"])
    return followed


def _checked_sources() -> list[Path]:
    sources: list[Path] = []
    for entry in CONFIG["files"]:
        path = ROOT / entry
        sources.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return sources


def _modules_used() -> dict[str, str]:
    used: dict[str, str] = {}
    for source in _checked_sources():
        text = source.read_text(encoding="utf-8")
        if "import pulumi_aws as aws" not in text:
            continue
        for name in USE.findall(text):
            module = re.sub(r"_output$", "", name) if name.startswith("get_") else name
            used.setdefault(f"pulumi_aws.{module}", str(source.relative_to(ROOT)))
    return used


def test_every_pulumi_aws_module_the_program_uses_is_type_checked() -> None:
    followed = _followed()
    used = _modules_used()
    assert "pulumi_aws.s3" in used and "pulumi_aws.get_availability_zones" in used
    missing = {module: where for module, where in used.items() if module not in followed}
    assert not missing, f"add to the mypy override with follow_imports = silent: {missing}"


def test_every_listed_module_exists() -> None:
    for module in _followed():
        if module.startswith("pulumi_aws") and not module.endswith(".*"):
            assert importlib.util.find_spec(module) is not None, module


def test_a_service_left_out_of_the_list_is_found(monkeypatch) -> None:
    trimmed = [
        {**o, "module": [m for m in o["module"] if not m.startswith("pulumi_aws.s3")]}
        for o in CONFIG["overrides"]
    ]
    monkeypatch.setitem(CONFIG, "overrides", trimmed)
    assert "pulumi_aws.s3" not in _followed()
    assert "pulumi_aws.s3" in _modules_used()
