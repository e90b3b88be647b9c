"""s3-lifecycle-expiry: an enabled lifecycle rule expires objects."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import LIFECYCLE

case = PolicyCase(__file__, LIFECYCLE)
RULE = {
    "id": "x",
    "status": "Enabled",
    "filter": {"prefix": "uploads/"},
    "expiration": {"days": 1.0},
}


def test_no_expiring_rule_is_reported():
    abort_only = {
        "id": "a",
        "status": "Enabled",
        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1.0},
    }
    case.reports({"rules": [abort_only]})


def test_a_disabled_expiring_rule_is_reported():
    case.reports({"rules": [{**RULE, "status": "Disabled"}]})


def test_the_uploads_expiry_passes():
    case.accepts()
