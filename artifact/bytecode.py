"""Bytecode for what ships, compiled by the interpreter version the target runs.

Lambda's /var/task and /opt are read-only, so code without bytecode is compiled again at
every cold start (bench/cold_start.py: the search handler's import costs about 1.9 x
`import boto3` from source against about 0.65 x with bytecode). Python only writes
bytecode for its own version, so the artifact carries it when the builder runs the
target's Python version, which is how the Lambda target is chosen (`artifact.targets`).

Written over `compileall` rather than pip's own compile step because the bytes must be
reproducible (Pulumi replaces a function when its archive's hash changes): one fresh
interpreter (`-I -S`) compiles the files in sorted order with PYTHONHASHSEED fixed
(marshal writes set constants in hash order and marks objects shared with the rest of
the process by reference, so another process state writes other bytes); the pycs are
hash-based and unchecked (zip extraction does not keep the mtimes Python would compare);
and the file names compiled in are the deployed ones (/var/task, /opt/python), not the
build directory's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from artifact.targets import Target

CODE_ROOT = "/var/task"
LAYER_ROOT = "/opt/python"


def builder_version() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def compiles_for(target: Target) -> bool:
    """True when this interpreter writes the bytecode `target` reads."""
    return target.python_version == builder_version()


def tag(target: Target) -> str:
    """What a build's bytes depend on besides its sources: the compiling interpreter."""
    return f"bytecode {sys.version}" if compiles_for(target) else "no bytecode"


def compile_tree(root: Path, deployed_root: str, *, strict: bool) -> None:
    """Write `__pycache__/*.pyc` next to every `.py` under `root`. `strict`: every file
    must compile (our own code); the layer's distributions may hold files that are not
    Python 3 (templates, fixtures), which pip itself skips the same way."""
    completed = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-m",
            "compileall",
            "-q",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            str(root),
            "-p",
            deployed_root,
            str(root),
        ],
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "0"},
    )
    if strict and completed.returncode != 0:
        raise RuntimeError(f"bytecode compilation failed under {root}:\n{completed.stdout[-4000:]}")
