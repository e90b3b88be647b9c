"""`--data-dir`: the uploads bucket's objects survive a restart, as its tables do.

Profiles, attachments and room images refer to objects in the uploads bucket (the files
clients POSTed, the thumbnails the filecheck Lambda wrote); without them a restarted
emulator would answer READY uploads whose URLs are 404. moto keeps objects in memory, so
each one is kept in `<data-dir>/objects/` as two files named by the SHA-256 of its key:
`<name>.<digest>.body` (the bytes, named by their own SHA-256 too) and `<name>.json` (key,
content type, user metadata, tags and that digest). moto reports which objects were stored,
deleted or tagged (`emulator.moto_internals.add_object_listener`); at each snapshot step
only those are read back and written, so a step costs what changed, not what is stored. A
new body goes to a file of its own before the `.json` that names it is renamed into place,
and older bodies of the key go after: a crash at any point leaves the object as it was or as
it is, never a mix; a body damaged on disk is skipped on start with a warning. A step that
fails keeps every object it had not written yet for the next one. Only the current version is
kept (the emulator's bucket is not versioned). Restored objects go back through S3's
PutObject, which raises no upload notification here (`emulator.s3_notifications` hooks
POST uploads only), so no file is checked twice. Objects are read and written through the
signed client of `awsEndpoint`: moto's S3 refuses the unsigned in-process client, as S3
refuses anonymous callers of a private bucket.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from emulator.aws_backend import AwsBackend

OBJECTS_DIR = "objects"
log = logging.getLogger("emulator.snapshot")


def _name(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_suffix(target.suffix + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


class ObjectJournal:
    """The bucket's changed keys since the last flush, and the folder they are kept in."""

    def __init__(self, backend: AwsBackend, data_dir: Path) -> None:
        self._backend = backend
        self._folder = data_dir / OBJECTS_DIR
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._remove: Any = None

    def start(self) -> None:
        """Listen for changes; a new folder first takes every object already stored."""
        from emulator import moto_internals

        self._remove = moto_internals.add_object_listener(self._changed)
        if not self._folder.is_dir():
            pages = self._backend.client("s3").get_paginator("list_objects_v2")
            for page in pages.paginate(Bucket=self._backend.uploads_bucket):
                for stored in page.get("Contents", []):
                    self._changed(self._backend.uploads_bucket, stored["Key"])

    def stop(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None

    def _changed(self, bucket: str, key: str) -> None:
        if bucket == self._backend.uploads_bucket:
            with self._lock:
                self._dirty.add(key)

    def flush(self) -> int:
        """Write (or remove) every changed object as it is now; returns how many."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        if not dirty:
            return 0
        s3 = self._backend.client("s3")
        self._folder.mkdir(parents=True, exist_ok=True)
        pending = sorted(dirty)
        try:
            while pending:
                _save(s3, self._backend.uploads_bucket, pending[0], self._folder)
                pending.pop(0)
        finally:
            if pending:
                with self._lock:
                    self._dirty.update(pending)
        return len(dirty)


def _bodies(folder: Path, name: str) -> list[Path]:
    return list(folder.glob(f"{name}.*.body"))


def _forget(folder: Path, name: str) -> None:
    (folder / f"{name}.json").unlink(missing_ok=True)
    for body in _bodies(folder, name):
        body.unlink(missing_ok=True)


def _save(s3: Any, bucket: str, key: str, folder: Path) -> None:
    name = _name(key)
    try:
        found = s3.get_object(Bucket=bucket, Key=key)
        body = found["Body"].read()
        tags = s3.get_object_tagging(Bucket=bucket, Key=key).get("TagSet", [])
    except s3.exceptions.NoSuchKey:
        _forget(folder, name)
        return
    digest = hashlib.sha256(body).hexdigest()
    meta = {
        "key": key,
        "contentType": found.get("ContentType"),
        "metadata": found.get("Metadata", {}),
        "tags": tags,
        "sha256": digest,
    }
    body_file = folder / f"{name}.{digest}.body"
    if not body_file.exists():
        _write_atomically(body_file, body)
    _write_atomically(folder / f"{name}.json", json.dumps(meta).encode())
    for older in _bodies(folder, name):
        if older != body_file:
            older.unlink(missing_ok=True)


def restore(backend: AwsBackend, data_dir: Path) -> int:
    """Put every kept object back into the bucket; returns how many."""
    folder = data_dir / OBJECTS_DIR
    if not folder.is_dir():
        return 0
    s3 = backend.client("s3")
    restored = 0
    for meta_file in sorted(folder.glob("*.json")):
        try:
            meta = json.loads(meta_file.read_text())
            body = (folder / f"{meta_file.stem}.{meta['sha256']}.body").read_bytes()
        except (OSError, ValueError, KeyError) as error:
            log.warning("kept object %s is unreadable (%s); skipped", meta_file.name, error)
            continue
        if hashlib.sha256(body).hexdigest() != meta["sha256"]:
            log.warning(
                "kept object %s: its body does not have the digest it is named by "
                "(damaged on disk); skipped",
                meta.get("key"),
            )
            continue
        extra = {"ContentType": meta["contentType"]} if meta.get("contentType") else {}
        if meta.get("tags"):
            extra["Tagging"] = "&".join(
                f"{_quote(t['Key'])}={_quote(t['Value'])}" for t in meta["tags"]
            )
        s3.put_object(
            Bucket=backend.uploads_bucket,
            Key=meta["key"],
            Body=body,
            Metadata=meta.get("metadata") or {},
            **extra,
        )
        restored += 1
    return restored


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
