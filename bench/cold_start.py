"""Cold start of each handler from the artifact, as a ratio to `import boto3` in the same run.

Each sample is a fresh `python -I -S` whose path is the function's unpacked code archive,
the unpacked layer and the runtime stand-in (boto3), as Lambda's is. It times `import boto3`
(which the runtime provides) and then the handler module's import: the ratio
handler / boto3 is what the target (at most 0.75) is about; wall-clock figures are blurred
by the machine's load, ratios within one process much less so. Two modes:

- bytecode: the archives exactly as they ship, with the bytecode the build compiled for
  the runtime (`artifact.bytecode`; Lambda's python3.11 reads it, /opt being read-only);
- source: the same without any bytecode (python -B), which is what Lambda would do at
  every cold start if the runtime's Python were newer than the builder's.

It also prints the Lambda layer's unzipped size and what takes the room.

    .venv/bin/python bench/cold_start.py [--samples 9]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from artifact import LAMBDA, ensure_built, host  # noqa: E402
from artifact.runtime import ensure_runtime  # noqa: E402

TARGET = 0.75
PROBE = """
import sys, time, json
sys.path[:] = {front!r} + [p for p in sys.path if p] + {back!r}
t0 = time.perf_counter()
import boto3
t1 = time.perf_counter()
import functions.{name}.handler
t2 = time.perf_counter()
print(json.dumps({{"boto3": t1 - t0, "handler": t2 - t1}}))
"""


def sample(name: str, code: Path, layer: Path, runtime: Path, no_bytecode: bool) -> dict:
    flags = ["-I", "-S"] + (["-B"] if no_bytecode else [])
    script = PROBE.format(front=[str(code), str(layer)], back=[str(runtime)], name=name)
    env = {"PATH": "/usr/bin:/bin", "AWS_REGION": "eu-west-1", "LOG_LEVEL": "INFO"}
    done = subprocess.run(
        [sys.executable, *flags, "-c", script], capture_output=True, text=True, env=env
    )
    if done.returncode:
        raise SystemExit(f"{name}: the import failed:\n{done.stderr}")
    return json.loads(done.stdout)


def source_only_copy(path: Path, into: Path) -> Path:
    shutil.copytree(path, into, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return into


def layer_breakdown(layer: Path, top: int = 6) -> list[tuple[str, int]]:
    sizes: dict[str, int] = {}
    for path in layer.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            first = path.relative_to(layer).parts[0]
            key = first.split("-")[0] if first.endswith(".dist-info") else first
            sizes[key] = sizes.get(key, 0) + path.stat().st_size
    return sorted(sizes.items(), key=lambda item: -item[1])[:top]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=9)
    args = parser.parse_args()
    built, runtime = ensure_built(host()), ensure_runtime()
    names = sorted(built.manifest["functions"])
    print(f"cold start from {built.root} (median of {args.samples} fresh interpreters each)")
    failed = []
    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        source_layer = source_only_copy(built.layer_path, scratch / "layer")
        for mode, no_bytecode in (("bytecode", False), ("source", True)):
            for name in names:
                code = built.function_path(name)
                layer = built.layer_path
                if no_bytecode:
                    code = source_only_copy(code, scratch / f"code-{name}")
                    layer = source_layer
                else:
                    sample(name, code, layer, runtime.path, False)  # warms the page cache
                runs = [
                    sample(name, code, layer, runtime.path, no_bytecode)
                    for _ in range(args.samples)
                ]
                ratios = [r["handler"] / r["boto3"] for r in runs]
                ratio = statistics.median(ratios)
                boto3_ms = statistics.median(r["boto3"] for r in runs) * 1000
                handler_ms = statistics.median(r["handler"] for r in runs) * 1000
                verdict = ""
                if mode == "bytecode":
                    verdict = "ok" if ratio <= TARGET else f"OVER {TARGET}"
                    if ratio > TARGET:
                        failed.append(name)
                print(
                    f"  {mode:8} {name:8} handler/boto3 = {ratio:.2f}  "
                    f"(import boto3 {boto3_ms:.0f} ms, handler beyond it {handler_ms:.0f} ms)",
                    verdict,
                )
    deployed = ensure_built(LAMBDA)
    layer = deployed.manifest["layer"]
    print(
        f"Lambda layer: {layer['unzippedBytes'] / 1e6:.1f} MB unzipped, "
        f"{layer['zipBytes'] / 1e6:.1f} MB zipped, {len(layer['distributions'])} distributions"
    )
    for part, size in layer_breakdown(deployed.layer_path):
        print(f"  {part:24} {size / 1e6:5.1f} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
