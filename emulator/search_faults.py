"""`python -m emulator.search_faults`: make the running emulator's search fail, or heal it.

    python -m emulator.search_faults down                 # connections closed, no answers
    python -m emulator.search_faults error --status 503   # every request answers 503
    python -m emulator.search_faults slow --seconds 2     # every answer 2 s late
    python -m emulator.search_faults items --every 3      # every 3rd _bulk item fails (429)
    python -m emulator.search_faults items --ids ID,ID    # those documents' writes fail
    python -m emulator.search_faults clear                # healthy again
    python -m emulator.search_faults show

`--only bulk|search` limits a fault to indexing or to queries, `--count N` ends it by itself
after N failures. It talks to the stand-in's admin endpoint (`emulator.opensearch.faults`)
named by the outputs file's `searchEndpoint`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import requests

DEFAULT_OUTPUTS = Path(".local/outputs.json")


def fault_body(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {"mode": args.mode}
    if args.mode in ("error", "items") and args.status is not None:
        body["status"] = args.status
    if args.mode == "slow":
        body["delay_seconds"] = args.seconds
    if args.mode == "items":
        if args.every:
            body["every"] = args.every
        if args.ids:
            body["ids"] = [i for i in args.ids.split(",") if i]
    if args.only:
        body["only"] = args.only
    if args.count:
        body["count"] = args.count
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator.search_faults")
    parser.add_argument("mode", choices=("down", "error", "slow", "items", "clear", "show"))
    parser.add_argument("--outputs", type=Path, default=DEFAULT_OUTPUTS)
    parser.add_argument("--status", type=int, help="error: HTTP status; items: item status")
    parser.add_argument("--seconds", type=float, default=2.0, help="slow: delay per answer")
    parser.add_argument("--every", type=int, help="items: fail every Nth item")
    parser.add_argument("--ids", help="items: comma-separated document ids to fail")
    parser.add_argument("--only", choices=("bulk", "search"), help="limit to indexing or queries")
    parser.add_argument("--count", type=int, help="end the fault after this many failures")
    args = parser.parse_args(argv)
    try:
        endpoint = json.loads(args.outputs.read_text())["searchEndpoint"]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        print(f"{args.outputs} has no searchEndpoint: is the emulator running?", file=sys.stderr)
        return 2
    url = f"{endpoint}/_emulator/faults"
    if args.mode == "clear":
        answer = requests.delete(url, timeout=10)
    elif args.mode == "show":
        answer = requests.get(url, timeout=10)
    else:
        answer = requests.put(url, json=fault_body(args), timeout=10)
    body = answer.json()
    if answer.status_code != 200:
        print(f"refused: {body.get('error', {}).get('reason', body)}", file=sys.stderr)
        return 1
    print(json.dumps(body.get("fault")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
