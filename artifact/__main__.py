"""`python -m artifact [--target host|lambda|all]`: build (or confirm up to date) and print
what was built."""

from __future__ import annotations

import argparse

from artifact.build import ensure_built
from artifact.runtime import ensure_runtime
from artifact.targets import LAMBDA, host


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m artifact")
    parser.add_argument("--target", choices=("host", "lambda", "all"), default="all")
    args = parser.parse_args(argv)
    targets = {"host": [host()], "lambda": [LAMBDA], "all": [host(), LAMBDA]}[args.target]
    for target in targets:
        built = ensure_built(target)
        layer = built.manifest["layer"]
        print(
            f"{target.name:6} {built.root}  layer {layer['zipBytes'] / 1e6:.1f} MB zipped, "
            f"{layer['unzippedBytes'] / 1e6:.1f} MB unzipped, "
            f"{len(layer['distributions'])} distributions"
        )
    if args.target != "lambda":
        runtime = ensure_runtime()
        print(f"runtime stand-in {runtime.path} (boto3 {runtime.distributions['boto3']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
