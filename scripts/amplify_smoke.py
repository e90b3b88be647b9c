"""The Amplify JS scenario (`scripts/amplify/scenario.mjs`) against the emulator or a stack.

    .venv/bin/python scripts/amplify_smoke.py --outputs .local/outputs.json
    pulumi stack output --json > outputs.json
    .venv/bin/python scripts/amplify_smoke.py --outputs outputs.json \
        --username a@example.com --password ... --second-username b@example.com \
        --second-password ... [--totp-code 123456 --second-totp-code 654321]

The real `aws-amplify` package (npm lockfile) in Node, configured only from a client
configuration file: the emulator's own (`amplifyConfigFile`, with `NODE_EXTRA_CA_CERTS`
set to its `caCertificateFile`) or one made from a deployed stack's outputs by
`emulator.client_config`. Two users: the second is the one removed from a room. With an
emulator's outputs they default to the demo users alice and bob. Exit status: the
scenario's (0 when every step passed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from emulator.client_config import amplify_config  # noqa: E402
from emulator.demo import DEMO_PASSWORD, DEMO_USERS  # noqa: E402

SCENARIO = REPO / "scripts" / "amplify" / "scenario.mjs"
NODE_MODULES = REPO / "node_modules" / "aws-amplify"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, required=True, help="stack outputs JSON")
    parser.add_argument("--username", help="first user (default: the demo user alice)")
    parser.add_argument("--password")
    parser.add_argument("--second-username", help="second user (default: the demo user bob)")
    parser.add_argument("--second-password")
    parser.add_argument("--totp-code", help="first user's current TOTP code (MFA pools)")
    parser.add_argument("--second-totp-code", help="second user's current TOTP code")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per waiting step")
    return parser.parse_args(argv)


def scenario_environment(args: argparse.Namespace, workdir: Path) -> dict[str, str]:
    outputs = json.loads(args.outputs.read_text())
    local = bool(outputs.get("awsEndpoint"))
    env = dict(os.environ)
    if outputs.get("amplifyConfigFile"):
        config_file = Path(outputs["amplifyConfigFile"])
    else:
        config_file = workdir / "amplify-config.json"
        config_file.write_text(json.dumps(amplify_config(outputs), indent=2))
    env["AMPLIFY_CONFIG"] = str(config_file)
    if outputs.get("caCertificateFile"):
        env["NODE_EXTRA_CA_CERTS"] = outputs["caCertificateFile"]
    first, second = (DEMO_USERS[0].email, DEMO_USERS[1].email) if local else (None, None)
    users = {
        "CHAT_USER_1": args.username or first,
        "CHAT_PASSWORD_1": args.password or (DEMO_PASSWORD if local else None),
        "CHAT_USER_2": args.second_username or second,
        "CHAT_PASSWORD_2": args.second_password or (DEMO_PASSWORD if local else None),
    }
    missing = [name for name, value in users.items() if not value]
    if missing:
        raise SystemExit(
            "a deployed stack needs --username, --password, --second-username and "
            "--second-password (two users without admin rights over each other's rooms)"
        )
    env.update({k: v for k, v in users.items() if v})
    for name, code in (
        ("CHAT_TOTP_CODE_1", args.totp_code),
        ("CHAT_TOTP_CODE_2", args.second_totp_code),
    ):
        if code:
            env[name] = code
    env["CHAT_TIMEOUT_MS"] = str(int(args.timeout * 1000))
    return env


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    node = shutil.which("node")
    if node is None:
        print("FAILED: node is not installed", file=sys.stderr)
        return 2
    if not NODE_MODULES.exists():
        print(
            f"FAILED: {NODE_MODULES} is missing: run `npm ci` (make node_modules)", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="amplify-smoke-") as workdir:
        env = scenario_environment(args, Path(workdir))
        return subprocess.run([node, str(SCENARIO)], cwd=REPO, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
