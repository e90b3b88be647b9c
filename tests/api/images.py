"""Images for the avatar tests: real PNGs uploaded through createUpload's presigned POST and
checked by the artifact's file check (`LocalApi.check_upload`: S3's object-created event,
delivered synchronously, so a test needs no waiting)."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import requests
from PIL import Image

from emulator.identity import LOCAL_REGION
from emulator.testing import LocalApi
from functions.common.uploads import checked_key, file_keys, thumbnail_key
from tests.api.seed import data

CREATE = """mutation($input: CreateUploadInput!) {
  createUpload(input: $input) { uploadId url fields status }
}"""
GET_UPLOAD = """query($id: ID!) {
  getUpload(uploadId: $id) {
    uploadId purpose roomId fileName contentType size status rejectedReason createdAt
  }
}"""
NOT_A_PNG = b"MZ\x90\x00" + b"\x00" * 60 + b"a Windows executable's head"


def png(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def ticket(
    api: LocalApi,
    purpose: str,
    body: bytes,
    *,
    user: str = "alice",
    room: str | None = None,
    content_type: str = "image/png",
) -> dict[str, Any]:
    values = {
        "fileName": "picture.png",
        "contentType": content_type,
        "size": len(body),
        "purpose": purpose,
        **({"roomId": room} if room else {}),
    }
    return data(api.call(CREATE, {"input": values}, user=user), "createUpload")


def post(upload: dict[str, Any], body: bytes) -> None:
    fields = json.loads(upload["fields"])
    answer = requests.post(upload["url"], data=fields, files={"file": body}, timeout=60)
    assert answer.status_code == 204, answer.text


def check(api: LocalApi, upload: dict[str, Any], body: bytes) -> Any:
    """S3's notification of the stored object, delivered to the file check."""
    return api.check_upload(json.loads(upload["fields"])["key"], len(body))


def uploaded(
    api: LocalApi,
    purpose: str = "USER_AVATAR",
    body: bytes | None = None,
    *,
    user: str = "alice",
    room: str | None = None,
    checked: bool = True,
) -> str:
    """The uploadId of a file POSTed (and, unless `checked` is False, checked)."""
    body = png() if body is None else body
    upload = ticket(api, purpose, body, user=user, room=room)
    post(upload, body)
    if checked:
        check(api, upload, body)
    return str(upload["uploadId"])


def record(api: LocalApi, upload_id: str) -> dict[str, Any] | None:
    return next((r for r in api.scan("uploads") if r["uploadId"] == upload_id), None)


def object_keys(api: LocalApi) -> set[str]:
    listed = boto3.client("s3", region_name=LOCAL_REGION).list_objects_v2(Bucket=api.uploads_bucket)
    return {o["Key"] for o in listed.get("Contents", [])}


def files_of(upload_id: str) -> set[str]:
    """What a READY image leaves in the bucket: its checked copy and its thumbnail."""
    return {checked_key(upload_id), thumbnail_key(upload_id)}


def any_file_of(upload_id: str) -> set[str]:
    """Every key an upload may have (as POSTed too): none of them stays once it is deleted."""
    return set(file_keys(upload_id))


def fetched(url: str) -> requests.Response:
    answer = requests.get(url, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer
