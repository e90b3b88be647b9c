"""Start, Ctrl-C and restart: a clean stop frees the ports, `--data-dir` keeps the data
(tables, users and the files they refer to), the Cognito signing key and the TLS CA."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
import requests

from emulator.demo import create_user
from emulator.launcher import REPO, start_emulator
from tests.e2e.api_calls import Api
from tests.e2e.clients import Users, cognito_client, execute
from tests.e2e.test_attachments import png
from tests.e2e.test_avatars import UPDATE, uploaded

pytestmark = pytest.mark.e2e


def port_is_free(url: str) -> bool:
    """No socket listens there (SO_REUSEADDR: closed connections in TIME_WAIT do not count,
    as they do not stop the emulator, which binds the same way, from starting again)."""
    parts = urlsplit(url)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((parts.hostname, parts.port))
        except OSError:
            return False
    return True


async def status_of(outputs, token: str) -> int:
    query = {"query": "{ listPublicRooms(limit: 1) { items { roomId } } }"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(outputs["graphqlUrl"], json=query, headers={"Authorization": token}) as reply,
    ):
        return reply.status


ME = "{ me { userId avatarUploadId avatarUrl avatarThumbnailUrl } }"


async def test_data_dir_keeps_rooms_users_and_files_across_a_restart(tmp_path, outputs):
    data_dir = tmp_path / "data"
    first = start_emulator(tmp_path / "first", "--data-dir", str(data_dir))
    try:
        users = Users(first.outputs, cognito_client(first.outputs))
        create_user(
            users.cognito,
            first.outputs["userPoolId"],
            "dave@example.com",
            "ChatDemo-2026!",
            ("User",),
        )
        dave = Users(first.outputs, users.cognito)
        created = await execute(
            first.outputs,
            dave.token("dave@example.com"),
            'mutation { createRoom(input: {name: "kept", type: PRIVATE}) { roomId } }',
        )
        room_id = created["createRoom"]["roomId"]
        dave_sub = dave.sub("dave@example.com")
        first_token = dave.token("dave@example.com")
        face = png(96, 96)
        api = Api(first.outputs, dave)
        checked = await uploaded(api, "dave@example.com", face)
        assert checked["status"] == "READY", checked
        await api.call("dave@example.com", UPDATE, {"i": {"avatarUploadId": checked["uploadId"]}})
        thumbnail = requests.get(
            (await api.call("dave@example.com", ME))["me"]["avatarThumbnailUrl"], timeout=30
        )
        assert thumbnail.status_code == 200
        first_ca = Path(first.outputs["caCertificateFile"]).read_bytes()
    finally:
        status = first.stop()
    assert status == 0, first.log()
    assert "Traceback" not in first.log(), first.log()
    assert "emulator stopped" in first.log()
    for key in ("graphqlUrl", "graphqlHttpsUrl", "awsEndpoint", "searchEndpoint"):
        assert port_is_free(first.outputs[key]), f"{key} still bound after the stop"
    assert not first.outputs_file.exists()

    second = start_emulator(tmp_path / "second", "--data-dir", str(data_dir))
    try:
        again = Users(second.outputs, cognito_client(second.outputs))
        assert again.sub("dave@example.com") == dave_sub
        room = await execute(
            second.outputs,
            again.token("dave@example.com"),
            "query($r: ID!) { getRoom(roomId: $r) { roomId name createdBy } }",
            {"r": room_id},
        )
        assert room["getRoom"] == {"roomId": room_id, "name": "kept", "createdBy": dave_sub}
        # The avatar's file and its thumbnail are served again, byte for byte.
        me = (await execute(second.outputs, again.token("dave@example.com"), ME))["me"]
        assert me["avatarUploadId"] == checked["uploadId"]
        assert requests.get(me["avatarUrl"], timeout=30).content == face
        kept_thumbnail = requests.get(me["avatarThumbnailUrl"], timeout=30)
        assert kept_thumbnail.status_code == 200
        assert kept_thumbnail.content == thumbnail.content
        assert second.outputs["userPoolId"] == first.outputs["userPoolId"]
        assert second.outputs["userPoolClientId"] == first.outputs["userPoolClientId"]
        # The signing key and the CA are the data directory's: kept, and trusted as before.
        assert Path(second.outputs["caCertificateFile"]).read_bytes() == first_ca
        assert await status_of(second.outputs, first_token) == 200
        # Another emulator (same pool id, its own key) refuses the token.
        assert outputs["userPoolId"] == first.outputs["userPoolId"]
        assert await status_of(outputs, first_token) == 401
    finally:
        assert second.stop() == 0, second.log()


def test_token_command_prints_a_token_the_api_accepts(emulator):
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "emulator",
            "token",
            "bob",
            "--outputs-file",
            str(emulator.outputs_file),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    token = printed.stdout.strip()
    users = Users(emulator.outputs, cognito_client(emulator.outputs))
    assert token.count(".") == 2
    import jwt

    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == users.sub("bob")
    assert claims["email"] == "bob@example.com"


def test_token_command_explains_a_wrong_password(emulator):
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "emulator",
            "token",
            "bob",
            "--password",
            "Nope-nope-1",
            "--outputs-file",
            str(emulator.outputs_file),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 1
    assert "wrong user name or password" in printed.stderr
