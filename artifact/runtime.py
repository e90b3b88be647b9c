"""What the Lambda Python runtime provides besides the standard library: boto3 and its
dependencies (botocore, s3transfer, jmespath, python-dateutil, six, urllib3).

AWS no longer documents one boto3 version per runtime: the version "depends on the
runtime version and your AWS Region" (RUNTIME_SDK_DOC). The stand-in is therefore the
boto3 that `requirements.txt` pins and every test runs against; the layer does not ship
boto3 because the runtime's copy is there already, with its bytecode.

Lambda's import path puts the function code first, then the layer, then the runtime's
own packages (RUNTIME_PATH_DOC), so a layer dependency shadows the runtime's copy.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from artifact import pins
from artifact.build import (
    BUILD_ROOT,
    BuildError,
    digest,
    installed_distributions,
    locked,
    pip_install,
)
from artifact.targets import host

RUNTIME_SDK_DOC = (
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html#python-sdk-included"
)
RUNTIME_PATH_DOC = (
    "https://docs.aws.amazon.com/lambda/latest/dg/python-package.html#python-package-searchpath"
)
PROVIDED = ("boto3",)


@dataclass(frozen=True)
class RuntimeStandIn:
    path: Path
    distributions: dict[str, str]


def _requirements() -> list[str]:
    return [f"{name}=={pins.project_pin(name)}" for name in PROVIDED]


def ensure_runtime(root: Path = BUILD_ROOT) -> RuntimeStandIn:
    """boto3 and its dependencies for this machine, in a directory of their own."""
    target = host()
    base = root / f"runtime-{target.name}"
    site = base / "python"
    stamp = base / "runtime.json"
    key = digest(" ".join(_requirements()).encode(), pins.CONSTRAINTS.read_bytes())
    with locked(base):
        try:
            recorded = json.loads(stamp.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            recorded = {}
        if recorded.get("key") != key or not site.is_dir():
            shutil.rmtree(site, ignore_errors=True)
            pip_install(site, target, _requirements())
            distributions = installed_distributions(site)
            pins.check_installed(distributions, pins.constraint_pins())
            if "boto3" not in distributions:
                raise BuildError("the runtime stand-in has no boto3")
            recorded = {"key": key, "distributions": distributions}
            stamp.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
    return RuntimeStandIn(site, dict(recorded["distributions"]))
