"""guardduty-malware-plan-tags-results: the plan tags its results and scans named prefixes."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, PLAN

case = PolicyCase(__file__, PLAN)


@pytest.mark.parametrize(
    "changes",
    [
        {"actions": DELETE},
        {"actions": [{"taggings": [{"status": "DISABLED"}]}]},
        {"protectedResource.s3Bucket.objectPrefixes": DELETE},
        {"protectedResource.s3Bucket.objectPrefixes": []},
    ],
    ids=["no-actions", "tagging-disabled", "no-prefixes", "empty-prefixes"],
)
def test_a_plan_that_does_not_tag_or_scans_everything_is_reported(changes):
    case.reports(changes)


def test_the_uploads_plan_passes():
    case.accepts()
