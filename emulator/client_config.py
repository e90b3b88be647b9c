"""The client configuration `Amplify.configure()` takes as it is, from a stack's outputs.

One shape for the emulator and for a deployed stack, so that a client developer swaps one
file and nothing else. For the emulator it names the HTTPS GraphQL endpoint (Amplify
derives `wss://<endpoint>/realtime` from it) and the local Cognito endpoint; for a deployed
stack (`pulumi stack output --json`) the AppSync URL and the regional Cognito service.

    python -m emulator.client_config --outputs outputs.json > amplify-config.json

The format is Amplify JS v6's `ResourcesConfig` (Auth.Cognito + API.GraphQL); the Gen 2
`amplify_outputs.json` format has no field for a custom Cognito endpoint.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_AUTH_MODE = "userPool"


def amplify_config(outputs: dict[str, Any]) -> dict[str, Any]:
    """`Amplify.configure(config)` input for the stack whose outputs these are."""
    required = ("graphqlUrl", "region", "userPoolId", "userPoolClientId")
    missing = [key for key in required if not outputs.get(key)]
    if missing:
        raise ValueError(f"the outputs lack {', '.join(missing)}")
    cognito: dict[str, Any] = {
        "userPoolId": outputs["userPoolId"],
        "userPoolClientId": outputs["userPoolClientId"],
        "loginWith": {"email": True},
    }
    if outputs.get("awsEndpoint"):
        cognito["userPoolEndpoint"] = outputs["awsEndpoint"]
    return {
        "Auth": {"Cognito": cognito},
        "API": {
            "GraphQL": {
                "endpoint": outputs.get("graphqlHttpsUrl") or outputs["graphqlUrl"],
                "region": outputs["region"],
                "defaultAuthMode": DEFAULT_AUTH_MODE,
            }
        },
    }


def write_amplify_config(path: Path, outputs: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(amplify_config(outputs), indent=2) + "\n")
    temporary.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, required=True, help="stack outputs JSON")
    args = parser.parse_args(argv)
    try:
        config = amplify_config(json.loads(args.outputs.read_text()))
    except (OSError, ValueError) as error:
        print(f"cannot make a client configuration from {args.outputs}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(config, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
