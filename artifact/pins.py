"""Exact pins for what the artifact installs: `functions/requirements.txt` names the direct
dependencies, `constraints.txt` pins every transitive one.

An installed distribution without an exact pin, or with another version than its pin,
fails the build with its name: a layer must never hold a version nobody tested.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER_REQUIREMENTS = ROOT / "functions" / "requirements.txt"
PROJECT_REQUIREMENTS = ROOT / "requirements.txt"
CONSTRAINTS = ROOT / "constraints.txt"


class PinError(ValueError):
    """A requirement is not pinned exactly, or an install left the pinned set."""


def canonical(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(text: str, source: str) -> dict[str, str]:
    """`{canonical name: version}` of every `name[extras]==version` line (comments, `-r` and
    `-c` lines skipped); any other requirement form is refused."""
    pins: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)", line)
        if not match:
            raise PinError(f"{source}: {line!r} is not an exact pin (name==version)")
        pins[canonical(match.group(1))] = match.group(3)
    return pins


def layer_pins(path: Path = LAYER_REQUIREMENTS) -> dict[str, str]:
    pins = parse_pins(path.read_text(encoding="utf-8"), path.name)
    if not pins:
        raise PinError(f"{path} names no dependency")
    return pins


def constraint_pins(path: Path = CONSTRAINTS) -> dict[str, str]:
    return parse_pins(path.read_text(encoding="utf-8"), path.name)


def project_pin(name: str, path: Path = PROJECT_REQUIREMENTS) -> str:
    pins = parse_pins(path.read_text(encoding="utf-8"), path.name)
    key = canonical(name)
    if key not in pins:
        raise PinError(f"{path.name} has no exact pin for {name}")
    return pins[key]


def check_installed(installed: dict[str, str], pinned: dict[str, str]) -> None:
    """Every installed distribution has an exact pin and is at that version."""
    problems = []
    for name, version in sorted(installed.items()):
        expected = pinned.get(canonical(name))
        if expected is None:
            problems.append(f"{name} {version} is installed but has no pin in constraints.txt")
        elif expected != version:
            problems.append(f"{name} is {version} but constraints.txt pins {expected}")
    if problems:
        raise PinError("; ".join(problems))
