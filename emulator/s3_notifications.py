"""The uploads bucket's object-created notifications, delivered as S3 delivers them.

moto 5.2 sends no bucket notifications to Lambda functions outside its own Lambda
emulation, and the emulator runs the artifact's Lambdas itself, so this module does what
the stack's `aws.s3.BucketNotification` does: after S3 (moto, behind the presigned POST
checks) stored an object under a subscribed prefix, the function is invoked
asynchronously with S3's event shape ("Event message structure", version 2.1: the key
URL-encoded, size, eTag, sequencer). Only POST uploads raise events here: they are the
only way clients write to the bucket; the Lambdas' own writes go under `thumbnails/`,
which no notification covers in the stack either.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from emulator import foreground

logger = logging.getLogger(__name__)
Deliver = Callable[[dict[str, Any]], Any]
_sequence = itertools.count(1)


def object_created_event(
    bucket: str, key: str, size: int, region: str, event_name: str = "ObjectCreated:Post"
) -> dict[str, Any]:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": now,
                "eventName": event_name,
                "userIdentity": {"principalId": "EMULATOR"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "upload-checks",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "EMULATOR"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "sequencer": f"{next(_sequence):016X}",
                    },
                },
            }
        ]
    }


After = Callable[[str, str], Any]
"""(bucket, key): run once the notification's delivery has ended (the malware scan stand-in)."""


@dataclass(frozen=True)
class Subscription:
    bucket: str
    prefix: str
    region: str
    deliver: Deliver
    after: After | None = None


class BucketNotifications:
    """Subscriptions by bucket; `object_created` is the POST checks' hook."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, Subscription] = {}
        self._pending: list[threading.Thread] = []

    def subscribe(
        self, bucket: str, prefix: str, region: str, deliver: Deliver, after: After | None = None
    ) -> None:
        """`deliver` gets S3's event for each object created under `prefix`; `after`, if
        given, is called with (bucket, key) on the same thread once that delivery ended."""
        with self._lock:
            self._subscriptions[bucket] = Subscription(bucket, prefix, region, deliver, after)

    def unsubscribe(self, bucket: str) -> None:
        with self._lock:
            self._subscriptions.pop(bucket, None)

    def object_created(self, bucket: str, key: str, size: int) -> None:
        with self._lock:
            subscription = self._subscriptions.get(bucket)
        if subscription is None or not key.startswith(subscription.prefix):
            return
        event = object_created_event(bucket, key, size, subscription.region)
        thread = threading.Thread(
            target=self._deliver, args=(subscription, event, key), daemon=True
        )
        thread.start()

    @staticmethod
    def _deliver(subscription: Subscription, event: dict[str, Any], key: str) -> None:
        """Asynchronous invocation, retried twice on a function error as Lambda does."""
        foreground.SHARED.wait_turn()
        for attempt in range(3):
            try:
                subscription.deliver(event)
                break
            except Exception as error:  # the function's error, reported as Lambda logs it
                logger.error("upload check failed (attempt %d of 3): %s", attempt + 1, error)
        if subscription.after is not None:
            subscription.after(subscription.bucket, key)


NOTIFICATIONS = BucketNotifications()
"""The emulator's one set of bucket notifications (one S3 endpoint per process)."""
