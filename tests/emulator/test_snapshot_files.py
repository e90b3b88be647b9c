"""`--data-dir` keeps the uploads bucket's objects: a step writes the objects that changed,
a restart puts them back with their content type, metadata and tags, a crash mid-write
leaves the last good copy, a damaged body is skipped, and a failed step loses nothing."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from emulator import snapshot, snapshot_files
from emulator.aws_backend import AwsBackend
from tests.emulator.snapshot_backends import fresh_backend, restarted


@pytest.fixture
def backend() -> Iterator[AwsBackend]:
    yield from fresh_backend()


def _objects(backend: AwsBackend) -> dict[str, bytes]:
    s3 = backend.client("s3")
    listed = s3.list_objects_v2(Bucket=backend.uploads_bucket).get("Contents", [])
    return {
        o["Key"]: s3.get_object(Bucket=backend.uploads_bucket, Key=o["Key"])["Body"].read()
        for o in listed
    }


def _restarted(backend: AwsBackend, data_dir) -> AwsBackend:
    again = restarted(backend)
    assert snapshot.restore(again, data_dir)
    return again


def test_a_step_writes_only_the_objects_that_changed(backend, tmp_path):
    s3 = backend.client("s3")
    bucket = backend.uploads_bucket
    for n in range(3):
        s3.put_object(Bucket=bucket, Key=f"uploads/u1/f{n}", Body=b"x" * n)
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    try:
        assert saver.objects.flush() == 3  # a new data dir takes what is already stored
        assert saver.objects.flush() == 0
        s3.put_object(Bucket=bucket, Key="uploads/u1/new", Body=b"new")
        s3.delete_object(Bucket=bucket, Key="uploads/u1/f0")
        assert saver.objects.flush() == 2  # not 4: untouched objects are not read again
        kept = {
            json.loads(f.read_text())["key"]
            for f in (tmp_path / snapshot_files.OBJECTS_DIR).glob("*.json")
        }
        assert kept == {"uploads/u1/f1", "uploads/u1/f2", "uploads/u1/new"}
        assert len(list((tmp_path / snapshot_files.OBJECTS_DIR).glob("*.body"))) == 3
    finally:
        saver.stop()


def test_a_restart_restores_bytes_content_type_metadata_and_tags(backend, tmp_path):
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    s3 = backend.client("s3")
    bucket = backend.uploads_bucket
    photo = bytes(range(256)) * 40
    s3.put_object(
        Bucket=bucket,
        Key="uploads/u1/photo one.png",
        Body=photo,
        ContentType="image/png",
        Metadata={"uploadid": "01HX"},
    )
    s3.put_object_tagging(
        Bucket=bucket,
        Key="uploads/u1/photo one.png",
        Tagging={"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": "NO_THREATS_FOUND"}]},
    )
    s3.put_object(Bucket=bucket, Key="thumbnails/01HX", Body=b"thumb", ContentType="image/webp")
    saver.stop()  # the last flush happens on stop, as on Ctrl-C

    again = _restarted(backend, tmp_path)
    try:
        s3 = again.client("s3")
        assert _objects(again) == {"uploads/u1/photo one.png": photo, "thumbnails/01HX": b"thumb"}
        head = s3.head_object(Bucket=bucket, Key="uploads/u1/photo one.png")
        assert head["ContentType"] == "image/png"
        assert head["Metadata"] == {"uploadid": "01HX"}
        tags = s3.get_object_tagging(Bucket=bucket, Key="uploads/u1/photo one.png")["TagSet"]
        assert tags == [{"Key": "GuardDutyMalwareScanStatus", "Value": "NO_THREATS_FOUND"}]
    finally:
        again.stop()


def test_a_crash_mid_write_keeps_the_last_good_copy_and_damage_is_skipped(
    backend, tmp_path, caplog
):
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    s3 = backend.client("s3")
    s3.put_object(Bucket=backend.uploads_bucket, Key="uploads/u1/a", Body=b"first")
    s3.put_object(Bucket=backend.uploads_bucket, Key="uploads/u1/b", Body=b"kept")
    s3.put_object(Bucket=backend.uploads_bucket, Key="uploads/u1/c", Body=b"intact")
    saver.stop()
    folder = tmp_path / snapshot_files.OBJECTS_DIR
    # A crash while "a" was being replaced: its new body written, its .json not yet.
    second = b"second"
    name = snapshot_files._name("uploads/u1/a")
    (folder / f"{name}.{hashlib.sha256(second).hexdigest()}.body").write_bytes(second)
    # "b"'s body damaged on disk.
    [damaged] = folder.glob(f"{snapshot_files._name('uploads/u1/b')}.*.body")
    damaged.write_bytes(b"bit rot")

    with caplog.at_level(logging.WARNING, logger="emulator.snapshot"):
        again = _restarted(backend, tmp_path)
    try:
        assert _objects(again) == {"uploads/u1/a": b"first", "uploads/u1/c": b"intact"}
        assert "uploads/u1/b" in caplog.text and "damaged" in caplog.text
    finally:
        again.stop()


def test_a_failed_step_keeps_every_object_it_had_not_written(backend, tmp_path, monkeypatch):
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    try:
        s3 = backend.client("s3")
        for key in ("uploads/u1/a", "uploads/u1/b", "uploads/u1/c"):
            s3.put_object(Bucket=backend.uploads_bucket, Key=key, Body=key.encode())
        real = snapshot_files._save
        calls: list[str] = []

        def disk_full_on_the_second(s3: Any, bucket: str, key: str, folder: Any) -> None:
            calls.append(key)
            if len(calls) == 2:
                raise OSError("No space left on device")
            real(s3, bucket, key, folder)

        monkeypatch.setattr(snapshot_files, "_save", disk_full_on_the_second)
        with pytest.raises(OSError):
            saver.objects.flush()
        assert saver.objects.flush() == 2  # b and c, not lost with the failed step
    finally:
        saver.stop()
    kept = {
        json.loads(f.read_text())["key"]
        for f in (tmp_path / snapshot_files.OBJECTS_DIR).glob("*.json")
    }
    assert kept == {"uploads/u1/a", "uploads/u1/b", "uploads/u1/c"}
