"""s3-lifecycle-abort-multipart: an enabled lifecycle rule aborts incomplete multipart uploads
(an expiry-only rule is no substitute)."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import LIFECYCLE

case = PolicyCase(__file__, LIFECYCLE)
RULE = {
    "id": "abort-incomplete-multipart-uploads",
    "status": "Enabled",
    "filter": {"prefix": ""},
    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1.0},
}


def test_an_expiry_only_rule_is_reported():
    expire_only = {
        "id": "x",
        "status": "Enabled",
        "filter": {"prefix": "uploads/"},
        "expiration": {"days": 1.0},
    }
    case.reports({"rules": [expire_only]})


def test_a_disabled_abort_rule_is_reported():
    case.reports({"rules": [{**RULE, "status": "Disabled"}]})


def test_the_uploads_lifecycle_passes():
    case.accepts()
