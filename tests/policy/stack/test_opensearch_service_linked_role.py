"""opensearch-service-linked-role (advisory): a VPC domain comes with the OpenSearch role.

Advisory: with `search.serviceLinkedRole: existing` the role is the account's, looked up by
the program (`aws.iam.get_role`), so the stack rightly declares none.
"""

from tests.policy.policy_case import PolicyCase
from tests.policy.whole_stack import whole_stack, without

case = PolicyCase(__file__)


def test_a_vpc_domain_without_the_role_is_advised_against():
    findings = case.reports(without(whole_stack(), "search-slr"))
    assert [f.resource_name for f in findings] == ["search"]


def test_a_stack_declaring_the_role_passes():
    case.accepts(whole_stack())
