"""AWS's limits where the API meets them: the registry's values, checked where they apply.

Each check runs on the real specification and on a broken copy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatspec import aws_limits, lambda_function, rules
from chatspec.templates import VTL_DIR
from emulator.vtl import Extensions, UtilError

INVALIDATION = re.compile(r"\$extensions\.invalidateSubscriptions\(")


def test_every_limit_names_its_aws_documentation_page():
    for entry in aws_limits.LIMITS:
        assert entry.source.startswith("https://docs.aws.amazon.com/"), entry.key
        assert entry.value > 0
    assert aws_limits.limit("dynamodb.itemSize").value == 409_600


def test_every_behaviour_names_its_aws_documentation_page():
    for entry in aws_limits.BEHAVIOURS:
        assert entry.source.startswith("https://docs.aws.amazon.com/"), entry.key
        assert entry.value and entry.what
    identity = aws_limits.behaviour("dynamodb.ttlStreamIdentity").value
    assert identity == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    with pytest.raises(KeyError, match="known"):
        aws_limits.behaviour("dynamodb.nothing")


def test_the_uploads_cleanup_filters_on_the_documented_ttl_identity():
    """The mapping's pattern is built from the registry's identity, exactly."""
    [pattern] = lambda_function("filecheck").stream_filters
    identity = aws_limits.DYNAMODB_TTL_STREAM_IDENTITY.value
    assert pattern["userIdentity"] == {name: [value] for name, value in identity.items()}
    assert pattern["eventName"] == ["REMOVE"]


def presence_groups(max_ids: int, per_group: int) -> int:
    return -(-max_ids // per_group)


def test_on_presence_changed_fits_the_filter_limits():
    groups = presence_groups(
        rules.PRESENCE_SUBSCRIPTION_MAX_USER_IDS, aws_limits.SUBSCRIPTION_IN_VALUES.value
    )
    assert groups <= aws_limits.SUBSCRIPTION_FILTER_GROUPS.value
    assert presence_groups(100, 5) > aws_limits.SUBSCRIPTION_FILTER_GROUPS.value


def invalidation_calls(vtl_dir: Path) -> dict[str, int]:
    """Invalidations a response template makes (each in a loop over 4 fields): only mutations
    invalidate (`setSubscriptionInvalidationFilter` in a subscription is not a call)."""
    found = {}
    for path in vtl_dir.rglob("*.response.vtl"):
        text = path.read_text(encoding="utf-8")
        if INVALIDATION.search(text):
            loop = re.search(r"#foreach\(\$field in \[([^\]]*)\]\)", text)
            found[path.name] = len(loop.group(1).split(",")) if loop else 1
    return found


def test_no_mutation_invalidates_more_subscriptions_than_appsync_allows():
    calls = invalidation_calls(VTL_DIR)
    assert calls and max(calls.values()) <= aws_limits.SUBSCRIPTION_INVALIDATIONS.value


def test_a_broken_copy_with_six_invalidations_is_found(tmp_path):
    (tmp_path / "Mutation.x.response.vtl").write_text(
        '#foreach($field in ["a", "b", "c", "d", "e", "f"])\n'
        "  $extensions.invalidateSubscriptions({})\n#end\n",
        encoding="utf-8",
    )
    assert max(invalidation_calls(tmp_path).values()) > aws_limits.SUBSCRIPTION_INVALIDATIONS.value


def test_the_emulator_enforces_the_same_filter_and_invalidation_limits():
    extensions = Extensions()
    five = {"fieldName": "userId", "operator": "in", "value": list("abcde")}
    ok = {"filterGroup": [{"filters": [five]}] * aws_limits.SUBSCRIPTION_FILTER_GROUPS.value}
    extensions.setSubscriptionFilter(ok)
    with pytest.raises(UtilError, match="filter groups"):
        extensions.setSubscriptionFilter({"filterGroup": ok["filterGroup"] + [{"filters": [five]}]})
    with pytest.raises(UtilError, match="at most 5 values"):
        six = {**five, "value": list("abcdef")}
        extensions.setSubscriptionFilter({"filterGroup": [{"filters": [six]}]})
    for n in range(aws_limits.SUBSCRIPTION_INVALIDATIONS.value):
        extensions.invalidateSubscriptions({"subscriptionField": f"f{n}", "payload": {}})
    with pytest.raises(UtilError, match="invalidateSubscriptions"):
        extensions.invalidateSubscriptions({"subscriptionField": "f9", "payload": {}})


def test_id_limits_fit_dynamodb_key_sizes():
    utf8_max = 4
    assert rules.ID_MAX_LENGTH * utf8_max <= aws_limits.DYNAMODB_SORT_KEY_SIZE.value
    idempotency = (
        rules.ID_MAX_LENGTH
        + rules.INCARNATION_LENGTH
        + rules.MAX_CALLER_ID_LENGTH
        + rules.CLIENT_MESSAGE_ID_MAX_LENGTH
        + 3
    ) * utf8_max
    assert idempotency <= aws_limits.DYNAMODB_PARTITION_KEY_SIZE.value


def test_upload_urls_expire_within_what_s3_signs():
    longest = aws_limits.S3_PRESIGNED_URL_MAX_EXPIRY.value
    assert 0 < rules.UPLOAD_POST_EXPIRY_SECONDS <= rules.DOWNLOAD_URL_EXPIRY_SECONDS < longest


def test_file_deletions_fit_one_delete_objects_request_per_chunk():
    from functions.common import uploads

    limit = aws_limits.S3_DELETE_OBJECTS_KEYS.value
    assert limit == uploads.S3_DELETE_MAX_KEYS
    # a message's files (as POSTed, as checked, thumbnails) always fit one request
    assert limit >= len(uploads.file_keys("u")) * rules.MAX_ATTACHMENTS


def test_toxicity_segments_stay_within_comprehends_limits():
    from functions.moderation import toxicity

    worst = "\N{GRINNING FACE}" * (rules.CONTENT_MAX_LENGTH // 2)  # 4 UTF-8 bytes each
    parts = toxicity.segments(worst)
    assert max(len(p.encode()) for p in parts) <= aws_limits.COMPREHEND_TOXIC_SEGMENT_BYTES.value
    assert aws_limits.COMPREHEND_TOXIC_SEGMENT_BYTES.value >= toxicity.SEGMENT_BYTES
    with pytest.raises(ValueError):
        toxicity.segments(worst, limit=aws_limits.COMPREHEND_TOXIC_SEGMENT_BYTES.value + 1)


def test_the_malware_scan_tag_and_event_are_the_registrys_everywhere():
    """The Lambda, the rule and the emulator's stand-in read these names from one place."""
    from chatspec import malware
    from emulator import guardduty

    tag = aws_limits.GUARDDUTY_SCAN_STATUS_TAG.value
    assert malware.SCAN_STATUS_TAG == tag["key"] == "GuardDutyMalwareScanStatus"
    assert set(malware.SCAN_RESULTS) == set(tag["values"])
    assert {malware.NO_THREATS_FOUND, *malware.REJECTED_REASONS} == set(tag["values"])
    assert all(malware.rejected_reason(r) for r in tag["values"] if r != "NO_THREATS_FOUND")
    assert malware.rejected_reason("NO_THREATS_FOUND") is None
    assert "unknown" in str(malware.rejected_reason("SOMETHING_NEW"))
    event = aws_limits.GUARDDUTY_SCAN_RESULT_EVENT.value
    pattern = malware.scan_result_pattern("bucket", "plan")
    assert pattern["source"] == [event["source"]] and pattern["detail-type"] == [
        event["detail-type"]
    ]
    sample = guardduty.scan_result_event(
        plan="plan",
        region="eu-west-1",
        account="1",
        bucket="bucket",
        key="uploads/u",
        etag="e",
        version_id=None,
        result="NO_THREATS_FOUND",
        threats=None,
    )
    assert sample["source"] == event["source"] and sample["detail-type"] == event["detail-type"]


def test_the_file_check_and_push_targets_use_the_registrys_s3_and_dynamodb_answers():
    from functions.common import push_targets
    from functions.filecheck import check

    statuses = aws_limits.S3_MISSING_KEY_STATUS.value
    assert {str(statuses["withListBucket"]), str(statuses["withoutListBucket"])} <= check.MISSING
    assert str(statuses["withoutListBucket"]) in check.FORBIDDEN  # raised when still PENDING
    assert aws_limits.DYNAMODB_TRANSACTION_CONFLICT.value == push_targets.CONFLICT
