"""Push notifications: platforms, limits and what counts as "offline". Plain data.

A device is registered per user with `registerDevice(platform, token)`; the devices Lambda
gives it an SNS platform endpoint of the stack's platform application for that platform
(`push.*` settings). The notifier sends a MessageSent to every member's devices when the
member is offline and has not muted the room's notifications (`setRoomNotifications`, the
member's own choice, stored as `notificationsMuted` on their membership; unrelated to a
moderator's mute, `isMuted`, which stops them posting). A mention always notifies.
"""

from __future__ import annotations

# GraphQL enum value -> SNS platform name (FCM is SNS's "GCM" platform)
PLATFORMS: dict[str, str] = {"APNS": "APNS", "APNS_SANDBOX": "APNS_SANDBOX", "FCM": "GCM"}

# Environment variable of the Lambdas with `uses_push`: JSON {GraphQL platform: application ARN}
APPLICATIONS_ENV = "PUSH_PLATFORM_APPLICATIONS"

# Presence statuses of someone looking at the app: no push. AWAY, OFFLINE, an expired or
# missing presence record: push.
ONLINE_STATUSES: frozenset[str] = frozenset({"ONLINE", "BUSY"})

MAX_TOKEN_LENGTH = 4096  # FCM registration tokens have no documented length; APNs are 64 hex
MAX_DEVICES_PER_USER = 20
PREVIEW_CHARACTERS = 120
