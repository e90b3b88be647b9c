"""Build the Lambda dependency layer directory `build/lambda-layer/python/`.

The Lambda runtime is Linux on arm64 with Python 3.12, so wheels are fetched for that
platform whatever machine runs this. Versions come from `requirements.txt`, so the layer
ships exactly what the tests ran against. Run before a real `pulumi up` (`make package`);
tests under mocks never need it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER_PACKAGES = ("aws-lambda-powertools", "opensearch-py", "requests-aws4auth")
TARGET = ROOT / "build" / "lambda-layer" / "python"


def layer_requirements(requirements: str) -> list[str]:
    """The pinned `name==version` lines of the layer packages; a missing pin is an error."""
    pins = {}
    for line in requirements.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name = line.split("==", 1)[0].split("[", 1)[0].strip().lower()
            pins[name] = line
    missing = [p for p in LAYER_PACKAGES if p not in pins]
    if missing:
        raise SystemExit(f"requirements.txt has no exact pin for {missing}")
    return [pins[p] for p in LAYER_PACKAGES]


def main() -> None:
    pins = layer_requirements((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    shutil.rmtree(TARGET.parent, ignore_errors=True)
    TARGET.mkdir(parents=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--target",
            str(TARGET),
            "--platform",
            "manylinux2014_aarch64",
            "--implementation",
            "cp",
            "--python-version",
            "3.12",
            "--only-binary=:all:",
            *pins,
        ],
        check=True,
    )
    print(f"layer ready: {TARGET.parent} ({', '.join(pins)})")


if __name__ == "__main__":
    main()
