"""dynamodb-stream-new-image: a table's stream carries what the search indexer reads."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import TABLE

case = PolicyCase(__file__, TABLE)


@pytest.mark.parametrize("view", ["KEYS_ONLY", "OLD_IMAGE"])
def test_a_stream_without_the_new_image_is_reported(view):
    case.reports({"streamViewType": view}, "dev")


@pytest.mark.parametrize("view", ["NEW_IMAGE", "NEW_AND_OLD_IMAGES"])
def test_a_stream_with_the_new_image_passes(view):
    case.accepts({"streamViewType": view})


def test_a_table_without_a_stream_is_not_concerned():
    case.accepts({"streamEnabled": False, "streamViewType": "KEYS_ONLY"})
