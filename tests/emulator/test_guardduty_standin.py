"""The emulator's stand-in for GuardDuty Malware Protection for S3: it judges EICAR a threat
and everything else clean, tags the object as the plan does, and announces the result with
the event GuardDuty publishes, which the stack's rule pattern accepts; the bucket
notification's `after` hook runs it once the check's first look has ended."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chatspec.malware import SCAN_RESULT_DETAIL_TYPE, SCAN_STATUS_TAG, scan_result_pattern
from emulator.guardduty import EICAR, MalwareScanner, plan_arn, scan
from emulator.moto_internals import event_pattern_matches
from emulator.s3_notifications import BucketNotifications

BUCKET = "chat-local-uploads"
REGION = "eu-west-1"
ACCOUNT = "123456789012"


def test_eicar_is_a_threat_and_anything_else_is_clean():
    assert scan(EICAR)[0] == "THREATS_FOUND"
    assert scan(b"prefix " + EICAR + b" suffix")[0] == "THREATS_FOUND"
    assert scan(b"%PDF-1.7 nothing to see")[0] == "NO_THREATS_FOUND"
    assert EICAR.startswith(b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!")
    assert len(EICAR) == 68


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield client


class Delivered:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.arrived = threading.Event()

    def __call__(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        self.arrived.set()


def scanner(s3: Any, delivered: Delivered) -> MalwareScanner:
    plan = plan_arn(REGION, ACCOUNT, "chat-local")
    return MalwareScanner(s3, BUCKET, region=REGION, account=ACCOUNT, plan=plan, deliver=delivered)


def tag(s3: Any, key: str) -> str | None:
    tags = s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    return next((t["Value"] for t in tags if t["Key"] == SCAN_STATUS_TAG), None)


def test_a_scan_tags_the_object_and_publishes_the_result_event(s3):
    delivered = Delivered()
    s3.put_object(Bucket=BUCKET, Key="uploads/u1", Body=EICAR, Tagging="kept=yes")
    scanner(s3, delivered).object_created(BUCKET, "uploads/u1")
    assert delivered.arrived.wait(10)
    assert tag(s3, "uploads/u1") == "THREATS_FOUND"
    tags = {
        t["Key"]: t["Value"]
        for t in s3.get_object_tagging(Bucket=BUCKET, Key="uploads/u1")["TagSet"]
    }
    assert tags["kept"] == "yes", "the object's other tags stay"
    [event] = delivered.events
    assert event["detail-type"] == SCAN_RESULT_DETAIL_TYPE
    assert event["detail"]["s3ObjectDetails"]["objectKey"] == "uploads/u1"
    assert event["detail"]["scanResultDetails"]["scanResultStatus"] == "THREATS_FOUND"
    plan = plan_arn(REGION, ACCOUNT, "chat-local")
    assert event_pattern_matches(scan_result_pattern(BUCKET, plan), event)


def test_objects_outside_the_scanned_prefix_are_not_announced(s3):
    delivered = Delivered()
    s3.put_object(Bucket=BUCKET, Key="thumbnails/u1.png", Body=b"png")
    events = scanner(s3, delivered)
    events.object_created(BUCKET, "thumbnails/u1.png")
    assert delivered.events == [] and not delivered.arrived.is_set()
    event = events.scan_object("thumbnails/u1.png")
    assert not event_pattern_matches(scan_result_pattern(BUCKET, events.plan), event)


def test_the_scan_runs_after_the_notifications_delivery():
    order: list[str] = []
    done = threading.Event()
    notifications = BucketNotifications()
    notifications.subscribe(
        BUCKET,
        "uploads/",
        REGION,
        lambda event: order.append("check"),
        after=lambda bucket, key: (order.append(f"scan {key}"), done.set()),
    )
    notifications.object_created(BUCKET, "uploads/u1", 3)
    assert done.wait(10)
    assert order == ["check", "scan uploads/u1"]
