"""`--data-dir`: the uploads bucket's objects survive a restart, as its tables do.

Profiles, attachments and room images refer to objects in the uploads bucket (the files
clients POSTed, the thumbnails the filecheck Lambda wrote); without them a restarted
emulator would answer READY uploads whose URLs are 404. moto keeps objects in memory, so
each one is kept in `<data-dir>/objects/` as two files named by the SHA-256 of its key:
`<name>.body` (the bytes) and `<name>.json` (key, content type, user metadata, tags and
the body's SHA-256). moto reports which objects were stored, deleted or tagged
(`emulator.moto_internals.add_object_listener`); at each snapshot step only those are
read back and written, so a step costs what changed, not what is stored. Each file is
written to a temporary name and renamed, the body first: a crash between the two leaves a
body whose digest its `.json` does not name, and that object is skipped on start with a
warning rather than restored with another object's metadata. Only the current version is
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
        for key in sorted(dirty):
            try:
                _save(s3, self._backend.uploads_bucket, key, self._folder)
            except Exception:
                with self._lock:
                    self._dirty.add(key)
                raise
        return len(dirty)


def _save(s3: Any, bucket: str, key: str, folder: Path) -> None:
    body_file = folder / f"{_name(key)}.body"
    meta_file = folder / f"{_name(key)}.json"
    try:
        found = s3.get_object(Bucket=bucket, Key=key)
    except s3.exceptions.NoSuchKey:
        meta_file.unlink(missing_ok=True)
        body_file.unlink(missing_ok=True)
        return
    body = found["Body"].read()
    tags = s3.get_object_tagging(Bucket=bucket, Key=key).get("TagSet", [])
    meta = {
        "key": key,
        "contentType": found.get("ContentType"),
        "metadata": found.get("Metadata", {}),
        "tags": tags,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    _write_atomically(body_file, body)
    _write_atomically(meta_file, json.dumps(meta).encode())


def restore(backend: AwsBackend, data_dir: Path) -> int:
    """Put every kept object back into the bucket; returns how many."""
    folder = data_dir / OBJECTS_DIR
    if not folder.is_dir():
        return 0
    s3 = backend.client("s3")
    restored = 0
    for meta_file in sorted(folder.glob("*.json")):
        body_file = meta_file.with_suffix(".body")
        try:
            meta = json.loads(meta_file.read_text())
            body = body_file.read_bytes()
        except (OSError, ValueError) as error:
            log.warning("kept object %s is unreadable (%s); skipped", meta_file.name, error)
            continue
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            log.warning(
                "kept object %s: its body is not the one its metadata names (a crash "
                "mid-write?); skipped",
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
