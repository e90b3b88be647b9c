"""The Amplify client configuration for the emulator and for a deployed stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from emulator.client_config import amplify_config
from emulator.launcher import REPO

DEPLOYED = {
    "graphqlUrl": "https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql",
    "realtimeUrl": "wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.eu-west-1.amazonaws.com/graphql",
    "region": "eu-west-1",
    "userPoolId": "eu-west-1_AbCdEf123",
    "userPoolClientId": "1example23456789",
}


def test_a_deployed_stack_uses_appsync_and_the_regional_cognito():
    config = amplify_config(DEPLOYED)
    assert config["API"]["GraphQL"] == {
        "endpoint": DEPLOYED["graphqlUrl"],
        "region": "eu-west-1",
        "defaultAuthMode": "userPool",
    }
    assert "userPoolEndpoint" not in config["Auth"]["Cognito"]
    assert config["Auth"]["Cognito"]["userPoolId"] == DEPLOYED["userPoolId"]


def test_the_emulator_uses_its_https_endpoint_and_local_cognito():
    local = {
        **DEPLOYED,
        "graphqlUrl": "http://127.0.0.1:4000/graphql",
        "graphqlHttpsUrl": "https://127.0.0.1:4003/graphql",
        "awsEndpoint": "http://127.0.0.1:4001",
    }
    config = amplify_config(local)
    assert config["API"]["GraphQL"]["endpoint"] == "https://127.0.0.1:4003/graphql"
    assert config["Auth"]["Cognito"]["userPoolEndpoint"] == "http://127.0.0.1:4001"


def test_missing_outputs_are_named():
    with pytest.raises(ValueError, match="userPoolClientId"):
        amplify_config({k: v for k, v in DEPLOYED.items() if k != "userPoolClientId"})


def test_the_command_prints_the_config_for_an_outputs_file(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(DEPLOYED))
    printed = subprocess.run(
        [sys.executable, "-m", "emulator.client_config", "--outputs", str(outputs)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == amplify_config(DEPLOYED)
    outputs.write_text("{}")
    failed = subprocess.run(
        [sys.executable, "-m", "emulator.client_config", "--outputs", str(outputs)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failed.returncode == 2
    assert "graphqlUrl" in failed.stderr
