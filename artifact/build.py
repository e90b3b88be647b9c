"""The one build of what `pulumi up` uploads: a code archive per Lambda and the dependency layer.

`ensure_built(target)` is the only function that produces Lambda code. The Pulumi program
deploys `ensure_built(LAMBDA)`; CI, the emulator and the cold-start bench run
`ensure_built(host())`, the same build for the machine they are on. Layout under
`build/artifact/<target>/`:

    functions/<name>.zip       chatspec/, functions/__init__.py, common/, functions/<name>/
    layer.zip                  python/<distributions> (Lambda puts /opt/python on the path)
    unpacked/functions/<name>/ the archive extracted, what the emulator's workers import
    unpacked/layer/python/     likewise for the layer
    manifest.json              keys, distributions (name -> version), sizes and digests

The build is incremental: the layer is reinstalled only when the pins, the target or this
builder change, a code archive only when a source file under `functions/` changes, so
`make local` and the tests rebuild nothing when nothing changed. A file lock keeps two
processes (pytest and an emulator it starts) from building at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path
from typing import Any

from artifact import bytecode, pins
from artifact.targets import LAMBDA, Target, host
from artifact.zips import extract, files_under, unzipped_size, write_zip

ROOT = pins.ROOT
FUNCTIONS_DIR = ROOT / "functions"
CHATSPEC_DIR = ROOT / "chatspec"
BUILD_ROOT = ROOT / "build" / "artifact"
BUILDER_VERSION = "3"


class BuildError(RuntimeError):
    """The artifact could not be built as pinned."""


@dataclass(frozen=True)
class Artifact:
    target: Target
    root: Path

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    @property
    def layer_zip(self) -> Path:
        return self.root / "layer.zip"

    @property
    def layer_path(self) -> Path:
        """The directory Lambda mounts as /opt/python."""
        return self.root / "unpacked" / "layer" / "python"

    def function_zip(self, name: str) -> Path:
        return self.root / "functions" / f"{name}.zip"

    def function_path(self, name: str) -> Path:
        """The directory Lambda mounts as /var/task (it holds the `functions` package)."""
        return self.root / "unpacked" / "functions" / name

    @property
    def distributions(self) -> dict[str, str]:
        return dict(self.manifest["layer"]["distributions"])


def function_names() -> tuple[str, ...]:
    """The Lambdas of the specification (imported late: chatspec is plain data)."""
    import chatspec

    return tuple(spec.name for spec in chatspec.LAMBDAS)


def digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_entries(name: str) -> list[tuple[str, Path]]:
    """What one function's archive holds: the specification (`chatspec`, plain data, so a
    Lambda reads the same rules and room settings as the templates and the components),
    the shared package and its own folder."""
    entries = [
        (f"chatspec/{p.relative_to(CHATSPEC_DIR).as_posix()}", p)
        for p in files_under(CHATSPEC_DIR)
        if p.suffix == ".py"
    ]
    entries.append(("functions/__init__.py", FUNCTIONS_DIR / "__init__.py"))
    for folder in ("common", name):
        base = FUNCTIONS_DIR / folder
        if not base.is_dir():
            raise BuildError(f"no folder functions/{folder} for Lambda {name!r}")
        entries += [
            (f"functions/{p.relative_to(FUNCTIONS_DIR).as_posix()}", p) for p in files_under(base)
        ]
    return entries


def code_key(name: str, target: Target) -> str:
    parts = [BUILDER_VERSION.encode(), bytecode.tag(target).encode()]
    for archived, path in code_entries(name):
        parts += [archived.encode(), path.read_bytes()]
    return digest(*parts)


def layer_key(target: Target) -> str:
    return digest(
        BUILDER_VERSION.encode(),
        bytecode.tag(target).encode(),
        json.dumps(target.describe(), sort_keys=True).encode(),
        pins.LAYER_REQUIREMENTS.read_bytes(),
        pins.CONSTRAINTS.read_bytes(),
    )


def installed_distributions(site: Path) -> dict[str, str]:
    """`{name: version}` from the `*.dist-info/METADATA` files pip left in `site`."""
    found = {}
    for metadata in sorted(site.glob("*.dist-info/METADATA")):
        headers = Parser().parsestr(metadata.read_text(encoding="utf-8"), headersonly=True)
        found[headers["Name"]] = headers["Version"]
    return found


def pip_install(site: Path, target: Target, requirements: list[str]) -> None:
    """Install exactly the pinned set into `site` for `target` (no bytecode here: pip's
    is not reproducible; `artifact.bytecode` compiles it afterwards)."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--no-warn-script-location",
        "--target",
        str(site),
        *target.pip_arguments(),
        *requirements,
        "-c",
        str(pins.CONSTRAINTS),
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BuildError(
            f"pip could not install the layer for {target.name}:\n{completed.stderr[-4000:]}"
        )
    shutil.rmtree(site / "bin", ignore_errors=True)


def _replace_dir(source: Path, destination: Path) -> None:
    if destination.exists():
        shutil.rmtree(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    source.rename(destination)


def _build_layer(artifact: Artifact, key: str) -> dict[str, Any]:
    work = artifact.root / ".work-layer"
    shutil.rmtree(work, ignore_errors=True)
    site = work / "python"
    pip_install(site, artifact.target, ["-r", str(pins.LAYER_REQUIREMENTS)])
    distributions = installed_distributions(site)
    pins.check_installed(distributions, {**pins.constraint_pins(), **pins.layer_pins()})
    missing = sorted(set(pins.layer_pins()) - {pins.canonical(n) for n in distributions})
    if missing:
        raise BuildError(f"the layer lacks its declared dependencies {missing}")
    compiled = bytecode.compiles_for(artifact.target)
    if compiled:
        bytecode.compile_tree(site, bytecode.LAYER_ROOT, strict=False)
    write_zip(
        artifact.layer_zip,
        [(p.relative_to(work).as_posix(), p) for p in files_under(site, bytecode=compiled)],
    )
    unpacked = artifact.root / ".work-layer-unpacked"
    shutil.rmtree(unpacked, ignore_errors=True)
    extract(artifact.layer_zip, unpacked)
    _replace_dir(unpacked, artifact.layer_path.parent)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "key": key,
        "distributions": dict(sorted(distributions.items())),
        "sha256": _file_digest(artifact.layer_zip),
        "zipBytes": artifact.layer_zip.stat().st_size,
        "unzippedBytes": unzipped_size(artifact.layer_zip),
    }


def _build_function(artifact: Artifact, name: str, key: str) -> dict[str, Any]:
    archive = artifact.function_zip(name)
    stage = artifact.root / f".stage-{name}"
    shutil.rmtree(stage, ignore_errors=True)
    for archived, path in code_entries(name):
        (stage / archived).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, stage / archived)
        (stage / archived).chmod(path.stat().st_mode)
    compiled = bytecode.compiles_for(artifact.target)
    if compiled:
        bytecode.compile_tree(stage, bytecode.CODE_ROOT, strict=True)
    write_zip(
        archive,
        [(p.relative_to(stage).as_posix(), p) for p in files_under(stage, bytecode=compiled)],
    )
    shutil.rmtree(stage, ignore_errors=True)
    unpacked = artifact.root / f".work-{name}"
    shutil.rmtree(unpacked, ignore_errors=True)
    extract(archive, unpacked)
    _replace_dir(unpacked, artifact.function_path(name))
    return {
        "key": key,
        "handler": f"functions.{name}.handler.handler",
        "sha256": _file_digest(archive),
        "zipBytes": archive.stat().st_size,
    }


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _current(artifact: Artifact) -> dict[str, Any]:
    try:
        return artifact.manifest
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _fresh(artifact: Artifact, manifest: dict[str, Any], names: tuple[str, ...]) -> bool:
    if manifest.get("layer", {}).get("key") != layer_key(artifact.target):
        return False
    if not artifact.layer_zip.is_file() or not artifact.layer_path.is_dir():
        return False
    built = manifest.get("functions", {})
    return all(
        built.get(n, {}).get("key") == code_key(n, artifact.target)
        and artifact.function_zip(n).is_file()
        and artifact.function_path(n).is_dir()
        for n in names
    )


def _stat_of(path: str) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def _stamp(artifact: Artifact, names: tuple[str, ...]) -> tuple[Any, ...]:
    """What a verdict of `_fresh` depends on, read from file metadata alone: every source
    file's and pin file's size and modification time, and the built files'."""
    sources: list[Any] = []
    for base in (CHATSPEC_DIR, FUNCTIONS_DIR):
        for folder, subfolders, files in os.walk(base):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            sources += [(folder, f, _stat_of(os.path.join(folder, f))) for f in sorted(files)]
    built = [artifact.manifest_path, artifact.layer_zip, *map(artifact.function_zip, names)]
    pinned = [pins.LAYER_REQUIREMENTS, pins.CONSTRAINTS]
    return tuple(sources), tuple(_stat_of(str(p)) for p in (*built, *pinned)), names


_VERIFIED: dict[Path, tuple[Any, ...]] = {}
"""Per artifact root, the `_stamp` under which this process last found it fresh: the
Pulumi program asks once per Lambda, and hashing every source again for each of them cost
a seventh of a stack run under the test mocks."""


def ensure_built(target: Target | None = None, root: Path = BUILD_ROOT) -> Artifact:
    """The artifact for `target` (default: this machine), built or brought up to date."""
    target = target or host()
    artifact = Artifact(target, root / target.name)
    names = function_names()
    stamp = _stamp(artifact, names)
    if _VERIFIED.get(artifact.root) == stamp:
        return artifact
    if _fresh(artifact, _current(artifact), names):
        _VERIFIED[artifact.root] = stamp
        return artifact
    with locked(artifact.root):
        manifest = _current(artifact)
        if _fresh(artifact, manifest, names):
            return artifact
        key = layer_key(target)
        layer = manifest.get("layer", {})
        if layer.get("key") != key or not artifact.layer_zip.is_file():
            layer = _build_layer(artifact, key)
        functions = {}
        for name in names:
            previous = manifest.get("functions", {}).get(name, {})
            current = code_key(name, target)
            if previous.get("key") == current and artifact.function_zip(name).is_file():
                functions[name] = previous
            else:
                functions[name] = _build_function(artifact, name, current)
        document = {"target": target.describe(), "layer": layer, "functions": functions}
        temporary = artifact.manifest_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, artifact.manifest_path)
    return artifact


def deployed() -> Artifact:
    """What `pulumi up` uploads."""
    return ensure_built(LAMBDA)
