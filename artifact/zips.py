"""Reproducible zip archives: the same files give the same bytes.

Written by hand (about twenty lines over `zipfile`) because Lambda code hashes decide
whether `pulumi up` replaces a function: sorted entries, a fixed timestamp and fixed,
world-readable permissions (Lambda's runtime user must read every file) make the
archive depend on the content only.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SKIPPED_PARTS = ("__pycache__",)
SKIPPED_SUFFIXES = (".pyc", ".pyo")


def files_under(root: Path, *, bytecode: bool = False) -> list[Path]:
    """Every regular file below `root`, sorted; bytecode caches only when asked for."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and (
            bytecode
            or (
                not any(part in SKIPPED_PARTS for part in path.relative_to(root).parts)
                and path.suffix not in SKIPPED_SUFFIXES
            )
        )
    )


def write_zip(target: Path, entries: Iterable[tuple[str, Path]]) -> None:
    """`entries` are (name in the archive, file on disk)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in sorted(entries):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            executable = path.stat().st_mode & 0o111
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            archive.writestr(info, path.read_bytes())
    temporary.replace(target)


def unzipped_size(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def extract(path: Path, destination: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        archive.extractall(destination)
