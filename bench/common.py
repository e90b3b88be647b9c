"""Helpers the benches share: percentiles, tokens from the emulated Cognito, process stats."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import jwt

from emulator.demo import DEMO_PASSWORD, login_name


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def id_token(outputs: dict[str, Any], user: str, password: str = DEMO_PASSWORD) -> tuple[str, str]:
    """(ID token, sub) of a user of the running emulator, signed in with USER_PASSWORD_AUTH."""
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    result = cognito.initiate_auth(
        ClientId=outputs["userPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": login_name(user), "PASSWORD": password},
    )
    token = result["AuthenticationResult"]["IdToken"]
    return token, jwt.decode(token, options={"verify_signature": False})["sub"]


def bus_pending(outputs: dict[str, Any]) -> int:
    """Deliveries the running emulator's event bus has queued or running."""
    url = f"{outputs['eventsUrl']}?detailType=none"
    with urllib.request.urlopen(url, timeout=60) as reply:
        return int(json.loads(reply.read())["pending"])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process (and its reaped children) has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")
