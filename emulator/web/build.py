"""Bundle the demo page with esbuild (from the npm lockfile) when it is missing or stale.

    .venv/bin/python -m emulator.web.build          # what `make web` runs

The bundle goes to `build/web/app.js` (ignored by git). Stale means any file under
`emulator/web/src/` or the lockfile is newer than the bundle.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from emulator.web.paths import BUNDLE, BUNDLE_DIR, REPO, SOURCE_DIR

ENTRY = SOURCE_DIR / "main.js"
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
LOCKFILE = REPO / "package-lock.json"


class BuildError(RuntimeError):
    """The bundle could not be built; the message says what to do."""


def is_stale() -> bool:
    if not BUNDLE.exists():
        return True
    built = BUNDLE.stat().st_mtime
    inputs = [LOCKFILE, *SOURCE_DIR.rglob("*")]
    return any(path.is_file() and path.stat().st_mtime > built for path in inputs)


def build() -> Path:
    if not ESBUILD.exists():
        raise BuildError(f"{ESBUILD} is missing: run `npm ci` in {REPO} first (make node_modules)")
    BUNDLE_DIR.mkdir(parents=True, exist_ok=True)
    finished = subprocess.run(
        [
            str(ESBUILD),
            str(ENTRY),
            "--bundle",
            "--format=esm",
            "--target=es2022",
            "--minify",
            "--sourcemap",
            "--log-level=warning",
            '--define:process.env.NODE_ENV="production"',
            f"--outfile={BUNDLE}",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if finished.returncode != 0:
        raise BuildError(f"esbuild failed:\n{finished.stdout}{finished.stderr}")
    return BUNDLE


def ensure_bundle() -> Path:
    return build() if is_stale() else BUNDLE


def main() -> int:
    try:
        print(f"demo page bundle: {ensure_bundle().relative_to(REPO)}")
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
