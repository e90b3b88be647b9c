"""Where an artifact is meant to run: the Lambda runtime, or the machine building it.

The deployed artifact targets Lambda's `python3.11` runtime on arm64 (Linux, manylinux
wheels): the Python version CI builds, imports and tests the handlers with, so what ships
is what was tested, and the builder can ship the bytecode the runtime reads
(`artifact.bytecode`; without it every cold start compiles the layer). AWS deprecates
python3.11 on 2027-06-30 (`policy/chat_policies/runtime_lifecycles.py`): moving
to a newer runtime is this one line plus a CI interpreter of that version, which
`tests/artifact` demands.

CI and the emulator run the same build for the machine they are on, so that the
handlers can be imported and invoked from it; both builds resolve the same pins, and a
test checks they hold the same distributions.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

LAMBDA_RUNTIME = "python3.11"
LAMBDA_ARCHITECTURE = "arm64"


@dataclass(frozen=True)
class Target:
    """`platforms` are pip `--platform` tags; empty means the running interpreter's own."""

    name: str
    python_version: str
    architecture: str
    platforms: tuple[str, ...] = ()

    @property
    def is_host(self) -> bool:
        return not self.platforms

    def pip_arguments(self) -> list[str]:
        """Only wheels, for both targets, so a build never compiles an sdist differently."""
        arguments = ["--only-binary=:all:"]
        if self.platforms:
            for tag in self.platforms:
                arguments += ["--platform", tag]
            arguments += ["--implementation", "cp", "--python-version", self.python_version]
        return arguments

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "pythonVersion": self.python_version,
            "architecture": self.architecture,
            "platforms": list(self.platforms),
        }


LAMBDA = Target(
    "lambda",
    LAMBDA_RUNTIME.removeprefix("python"),
    LAMBDA_ARCHITECTURE,
    ("manylinux2014_aarch64",),
)


def host() -> Target:
    """This machine: its interpreter version and architecture."""
    return Target("host", f"{sys.version_info.major}.{sys.version_info.minor}", platform.machine())


def by_name(name: str) -> Target:
    targets = {"lambda": LAMBDA, "host": host()}
    if name not in targets:
        raise ValueError(f"unknown target {name!r}; known: {sorted(targets)}")
    return targets[name]
