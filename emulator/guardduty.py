"""A stand-in for GuardDuty Malware Protection for S3 (`python -m emulator --malware-scanning`).

moto has no GuardDuty scans, so this does what the stack's Malware Protection plan does for
the uploads bucket (`components/malware_protection.py`), with a scanner anyone can predict:
an object under `uploads/` holding the EICAR anti-virus test string is THREATS_FOUND (the
file the antivirus industry agreed on for exactly this; GuardDuty's guide tests with it),
every other object NO_THREATS_FOUND. For each created object it writes the result tag
(`chatspec.malware.SCAN_STATUS_TAG`) as the plan does with tagging on, then publishes the
"GuardDuty Malware Protection Object Scan Result" event (the guide's shape: the plan's ARN
in `resources`, `detail.s3ObjectDetails`, `detail.scanResultDetails`) to what the stack's
default-bus rule delivers it to, if the rule's pattern (`chatspec.malware.scan_result_pattern`,
matched with moto's EventBridge matcher) takes it: the file check.

GuardDuty's scan takes seconds and the file check's first look at a new object usually comes
first, so here the scan always runs after the bucket notification's delivery has ended
(`BucketNotifications.subscribe(..., after=...)`): the check sees no tag, leaves the upload
PENDING, and decides when the result event arrives, which is the path the deployed check
takes. The event is delivered asynchronously and retried twice on a function error, like
the rule's Lambda target; nothing here is a timer.
"""

from __future__ import annotations

import datetime
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from chatspec.malware import (
    NO_THREATS_FOUND,
    SCAN_RESULT_DETAIL_TYPE,
    SCAN_RESULT_SOURCE,
    SCAN_STATUS_TAG,
    THREATS_FOUND,
    scan_result_pattern,
)
from emulator.moto_internals import event_pattern_matches

logger = logging.getLogger(__name__)
Deliver = Callable[[dict[str, Any]], Any]

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
"""The EICAR test string, in two parts so that no scanner flags this source file itself."""
EICAR_THREAT = "EICAR-Test-File (not a virus)"


def plan_arn(region: str, account: str, prefix: str) -> str:
    """The local plan's ARN (the event names its plan in `resources`)."""
    return f"arn:aws:guardduty:{region}:{account}:malware-protection-plan/{prefix}-uploads"


def scan(body: bytes) -> tuple[str, list[dict[str, str]] | None]:
    """(scan result, threats) of an object's bytes, as the stand-in judges them."""
    if EICAR in body:
        return THREATS_FOUND, [{"name": EICAR_THREAT}]
    return NO_THREATS_FOUND, None


def scan_result_event(
    *,
    plan: str,
    region: str,
    account: str,
    bucket: str,
    key: str,
    etag: str,
    version_id: str | None,
    result: str,
    threats: list[dict[str, str]] | None,
) -> dict[str, Any]:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": SCAN_RESULT_DETAIL_TYPE,
        "source": SCAN_RESULT_SOURCE,
        "account": account,
        "time": now,
        "region": region,
        "resources": [plan],
        "detail": {
            "schemaVersion": "1.0",
            "scanStatus": "COMPLETED",
            "resourceType": "S3_OBJECT",
            "s3ObjectDetails": {
                "bucketName": bucket,
                "objectKey": key,
                "eTag": etag,
                "versionId": version_id,
                "s3Throttled": False,
            },
            "scanResultDetails": {"scanResultStatus": result, "threats": threats},
        },
    }


class MalwareScanner:
    """Scans, tags and announces one bucket's new objects under the plan's prefix."""

    def __init__(
        self,
        s3: Any,
        bucket: str,
        *,
        region: str,
        account: str,
        plan: str,
        deliver: Deliver,
    ) -> None:
        self._s3 = s3
        self.bucket = bucket
        self.region = region
        self.account = account
        self.plan = plan
        self._deliver = deliver
        self._pattern = scan_result_pattern(bucket, plan)
        self.results: dict[str, str] = {}
        """Result by key of every object scanned (tests read it)."""

    def object_created(self, bucket: str, key: str) -> None:
        """Scan now, on the caller's thread (the notification's delivery thread)."""
        if bucket != self.bucket:
            return
        try:
            event = self.scan_object(key)
        except Exception as error:  # the object went meanwhile, say; GuardDuty reports nothing
            logger.warning("malware scan stand-in: %s not scanned: %s", key, error)
            return
        if event_pattern_matches(self._pattern, event):
            threading.Thread(target=self._announce, args=(event,), daemon=True).start()

    def scan_object(self, key: str) -> dict[str, Any]:
        """Read, judge and tag `key`; returns the scan-result event GuardDuty would publish."""
        stored = self._s3.get_object(Bucket=self.bucket, Key=key)
        result, threats = scan(stored["Body"].read())
        tags = self._s3.get_object_tagging(Bucket=self.bucket, Key=key).get("TagSet") or []
        kept = [t for t in tags if t.get("Key") != SCAN_STATUS_TAG]
        self._s3.put_object_tagging(
            Bucket=self.bucket,
            Key=key,
            Tagging={"TagSet": [*kept, {"Key": SCAN_STATUS_TAG, "Value": result}]},
        )
        self.results[key] = result
        return scan_result_event(
            plan=self.plan,
            region=self.region,
            account=self.account,
            bucket=self.bucket,
            key=key,
            etag=str(stored.get("ETag", "")).strip('"'),
            version_id=stored.get("VersionId"),
            result=result,
            threats=threats,
        )

    def _announce(self, event: dict[str, Any]) -> None:
        """The rule's Lambda target: asynchronous, retried twice on a function error."""
        for attempt in range(3):
            try:
                self._deliver(event)
                return
            except Exception as error:
                logger.error(
                    "scan result delivery failed (attempt %d of 3): %s", attempt + 1, error
                )
