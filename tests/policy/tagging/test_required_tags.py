"""required-tags: every taggable resource names its project and environment."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, FUNCTION, ROLE_POLICY, TABLE, resource

case = PolicyCase(__file__)


@pytest.mark.parametrize(
    ("resource_type", "changes"),
    [(TABLE, {"tags": {"project": "realtime-chat"}}), (FUNCTION, {"tags": DELETE})],
)
def test_a_resource_missing_a_tag_is_reported(resource_type, changes):
    [finding] = case.reports(resource(resource_type, "prod", changes))
    assert "environment" in finding.message


def test_tags_all_counts_as_the_resources_tags():
    tagged = {"tags": DELETE, "tagsAll": {"project": "realtime-chat", "environment": "dev"}}
    case.accepts(resource(TABLE, "dev", tagged), "dev")


def test_a_type_that_takes_no_tags_is_not_concerned():
    case.accepts(resource(ROLE_POLICY))


def test_the_keys_come_from_policy_config():
    [finding] = case.reports(resource(TABLE), config={"requiredTags": ["project", "owner"]})
    assert "owner" in finding.message


def test_a_tagged_resource_passes():
    case.accepts(resource(TABLE))
