"""s3-block-public-access: all four public access blocks are on."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import DELETE, PUBLIC_ACCESS_BLOCK

case = PolicyCase(__file__, PUBLIC_ACCESS_BLOCK)


@pytest.mark.parametrize(
    "flag", ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
)
@pytest.mark.parametrize("value", [False, DELETE])
def test_any_block_off_or_missing_is_reported(flag, value):
    case.reports({flag: value})


def test_all_four_blocks_pass_in_dev_and_prod():
    case.accepts()
    case.accepts(stack="dev")
