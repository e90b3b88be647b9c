"""Push notifications, offline: local SNS platform applications and what reached them.

The devices and notifier Lambdas run unmodified against moto's SNS: CreatePlatformEndpoint,
Publish (`MessageStructure=json`), DeleteEndpoint, SetEndpointAttributes behave as SNS's
API says, including `EndpointDisabled` for a disabled endpoint (what SNS answers after
APNs or FCM reported the token invalid). Nothing leaves the machine: moto keeps each
published message on its endpoint, and `deliveries` lists them for tests and the demo page
(`GET /_emulator/push`, `emulator.local_routes`). To play APNs reporting a token invalid:
`aws sns set-endpoint-attributes --endpoint-arn ARN --attributes Enabled=false` against
`awsEndpoint`; the next push to it removes the device.
"""

from __future__ import annotations

import json
from typing import Any

from chatspec.push import PLATFORMS
from emulator import moto_internals


def create_platform_applications(sns: Any, prefix: str) -> dict[str, str]:
    """One local platform application per platform; {GraphQL platform: ARN}."""
    arns = {}
    for platform, sns_platform in PLATFORMS.items():
        name = f"{prefix}-{platform.lower().replace('_', '-')}"
        answer = sns.create_platform_application(
            Name=name,
            Platform=sns_platform,
            Attributes={"PlatformCredential": "local-only", "PlatformPrincipal": "local-only"},
        )
        arns[platform] = answer["PlatformApplicationArn"]
    return arns


def deliveries(region: str, account: str) -> list[dict[str, Any]]:
    """Every push the local SNS accepted, with the platform's own payload parsed."""
    found = []
    for delivery in moto_internals.mobile_push_deliveries(region, account):
        platform = delivery["endpointArn"].split(":endpoint/")[1].split("/")[0]
        structure = _json(delivery["message"])
        body = (
            structure.get(platform, structure.get("default"))
            if isinstance(structure, dict)
            else None
        )
        found.append({**delivery, "platform": platform, "payload": _json(body)})
    return found


def _json(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
