"""A wrong or missing setting stops the program with the key, the value and what is allowed."""

from __future__ import annotations

import pulumi
import pytest

from stackrun.stack import run_stack
from stacksettings.settings import SettingsError, load_settings, settings_from_config, stack_config


def dev_config(**changes):
    config = {k: v for k, v in stack_config("dev").items() if k.startswith("realtime-chat:")}
    for key, value in changes.items():
        full = f"realtime-chat:{key}"
        if value is None:
            config.pop(full)
        else:
            config[full] = value
    return config


def test_dev_is_cheap_and_prod_is_safe():
    dev, prod = load_settings("dev"), load_settings("prod")
    assert (dev.customer_managed_key, dev.point_in_time_recovery, dev.deletion_protection) == (
        False,
        False,
        False,
    )
    assert (prod.customer_managed_key, prod.point_in_time_recovery, prod.deletion_protection) == (
        True,
        True,
        True,
    )
    assert prod.retain_on_delete and not dev.retain_on_delete
    assert prod.log_retention_days > dev.log_retention_days
    assert prod.search.dedicated_master_enabled and prod.search.zone_awareness
    assert dev.search.instance_count == 1 and not dev.search.dedicated_master_enabled
    assert prod.waf_rate_limit is not None and dev.waf_rate_limit is None
    assert prod.network.availability_zone_count == 3 and dev.network.availability_zone_count >= 2


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"encryption": "rot13"},
            ["realtime-chat:encryption", "'rot13'", "aws-owned, customer-managed"],
        ),
        ({"logRetentionDays": -1}, ["realtime-chat:logRetentionDays", "-1", "one of 1, 3, 5"]),
        ({"logRetentionDays": 8}, ["realtime-chat:logRetentionDays", "8", "one of"]),
        ({"appsyncFieldLogLevel": "LOUD"}, ["realtime-chat:appsyncFieldLogLevel", "NONE, ERROR"]),
        ({"pointInTimeRecovery": "maybe"}, ["realtime-chat:pointInTimeRecovery", "true or false"]),
        ({"prefix": "Chat_Dev"}, ["realtime-chat:prefix", "'Chat_Dev'", "lowercase letters"]),
        ({"prefix": None}, ["realtime-chat:prefix", "required but missing"]),
        ({"search": None}, ["realtime-chat:search", "required but missing"]),
        ({"wafRateLimit": 5}, ["realtime-chat:wafRateLimit", "from 10 to"]),
        ({"appsyncQueryDepthLimit": 76}, ["realtime-chat:appsyncQueryDepthLimit", "76", "0 to 75"]),
        (
            {"appsyncResolverCountLimit": -1},
            ["realtime-chat:appsyncResolverCountLimit", "-1", "0 to 10000"],
        ),
        ({"appsyncIntrospection": "off"}, ["realtime-chat:appsyncIntrospection", "true or false"]),
        (
            {
                "search": {
                    "instanceType": "t3.small.search",
                    "instanceCount": 1,
                    "volumeSizeGb": 10,
                    "serviceLinkedRole": "maybe",
                }
            },
            ["realtime-chat:search.serviceLinkedRole", "'maybe'", "create, existing"],
        ),
        (
            {
                "cognito": {
                    "passwordMinimumLength": 8,
                    "mfa": "OFF",
                    "sesIdentityArn": "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
                }
            },
            ["realtime-chat:cognito.sesIdentityArn", "sesFromAddress together"],
        ),
        (
            {
                "cognito": {
                    "passwordMinimumLength": 8,
                    "mfa": "OFF",
                    "sesIdentityArn": "arn:aws:sns:eu-west-1:123456789012:topic",
                    "sesFromAddress": "no-reply@example.com",
                }
            },
            ["realtime-chat:cognito.sesIdentityArn", "verified SES identity"],
        ),
        ({"logRetentionDay": 7}, ["realtime-chat:logRetentionDay", "not a known setting"]),
        (
            {"cognito": {"passwordMinimumLength": 4, "mfa": "OFF"}},
            ["realtime-chat:cognito.passwordMinimumLength", "4", "from 8 to 99"],
        ),
        (
            {"cognito": {"passwordMinimumLength": 8, "mfa": "SOMETIMES"}},
            ["realtime-chat:cognito.mfa", "OFF, OPTIONAL, ON"],
        ),
        (
            {"network": {"mode": "create", "cidr": "10.0.0.0/8", "availabilityZoneCount": 2}},
            ["realtime-chat:network.cidr", "/16 to /22"],
        ),
        (
            {
                "network": {
                    "mode": "existing",
                    "vpcId": "vpc-0123456789abcdef0",
                    "subnetIds": ["subnet-0123456789abcdef0"],
                }
            },
            ["realtime-chat:network.subnetIds", "at least two"],
        ),
        (
            {
                "search": {
                    "instanceType": "t3.small.search",
                    "instanceCount": 3,
                    "zoneAwareness": True,
                    "availabilityZoneCount": 2,
                    "volumeSizeGb": 10,
                }
            },
            ["realtime-chat:search.instanceCount", "multiple of 2"],
        ),
        (
            {"search": {"instanceType": "t3.small", "instanceCount": 1, "volumeSizeGb": 10}},
            ["realtime-chat:search.instanceType", "t3.small.search"],
        ),
        (
            {
                "search": {
                    "instanceType": "t3.small.search",
                    "instanceCount": 1,
                    "volumeSizeGb": 10,
                    "size": 1,
                }
            },
            ["realtime-chat:search.size", "not a known setting"],
        ),
        (
            {
                "alarmEmail": "ops@example.com",
                "alarmTopicArn": "arn:aws:sns:eu-west-1:123456789012:ops",
            },
            ["realtime-chat:alarmEmail", "not both"],
        ),
    ],
)
def test_wrong_setting_names_key_value_and_allowed(changes, expected):
    with pytest.raises(SettingsError) as raised:
        settings_from_config(dev_config(**changes))
    for fragment in expected:
        assert fragment in str(raised.value)


def test_values_as_pulumi_hands_them_over_are_parsed():
    """The engine passes every value as text and objects as JSON."""
    settings = settings_from_config(
        {
            **{k: v for k, v in dev_config().items()},
            "realtime-chat:logRetentionDays": "14",
            "realtime-chat:pointInTimeRecovery": "true",
            "realtime-chat:search": '{"instanceType": "t3.small.search", "instanceCount": "2",'
            ' "volumeSizeGb": 20}',
        }
    )
    assert settings.log_retention_days == 14
    assert settings.point_in_time_recovery is True
    assert settings.search.instance_count == 2 and settings.search.volume_size_gb == 20


def test_unknown_stack_names_the_stacks_that_exist():
    with pytest.raises(SettingsError, match=r"stacks: \['dev', 'prod'\]"):
        load_settings("staging")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"logRetentionDays": -1}, "realtime-chat:logRetentionDays = '-1' is not allowed"),
        ({"encryption": "none"}, "realtime-chat:encryption = 'none' is not allowed"),
        ({"cognito": None}, "realtime-chat:cognito is required but missing"),
    ],
)
def test_program_stops_on_a_wrong_setting(overrides, message):
    with pytest.raises(pulumi.RunError) as raised:
        run_stack("dev", overrides)
    assert message in str(raised.value)


ASSISTANT = {"modelId": "anthropic.claude-3-haiku-20240307-v1:0"}


@pytest.mark.parametrize(
    ("assistant", "expected"),
    [
        ({}, ["realtime-chat:assistant.modelId", "Bedrock model"]),
        ({"modelId": "gpt-4"}, ["realtime-chat:assistant.modelId", "'gpt-4'", "inference profile"]),
        ({**ASSISTANT, "guardrailId": "abc123"}, ["assistant.guardrailVersion", "together"]),
        (
            {**ASSISTANT, "guardrailId": "abc123", "guardrailVersion": "v1"},
            ["assistant.guardrailVersion", "'v1'", "DRAFT"],
        ),
        ({**ASSISTANT, "maxTokens": 100_000}, ["assistant.maxTokens", "16", "4096"]),
        ({**ASSISTANT, "temperature": 1}, ["realtime-chat:assistant", "temperature"]),
    ],
)
def test_a_wrong_assistant_setting_names_its_key(assistant, expected):
    with pytest.raises(SettingsError) as error:
        settings_from_config(dev_config(assistant=assistant))
    for part in expected:
        assert part in str(error.value)


def test_no_assistant_setting_means_no_assistant_and_profiles_are_recognised():
    assert settings_from_config(dev_config(assistant=None)).assistant is None
    profile = settings_from_config(
        dev_config(assistant={"modelId": "eu.anthropic.claude-3-haiku-20240307-v1:0"})
    ).assistant
    model = settings_from_config(dev_config(assistant=ASSISTANT)).assistant
    assert profile.inference_profile and profile.foundation_model_id == ASSISTANT["modelId"]
    assert not model.inference_profile and model.foundation_model_id == ASSISTANT["modelId"]
    guarded = settings_from_config(
        dev_config(assistant={**ASSISTANT, "guardrailId": "abc123", "guardrailVersion": 2})
    ).assistant
    assert (guarded.guardrail_id, guarded.guardrail_version) == ("abc123", "2")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"push": {"platforms": ["WNS"]}}, ["realtime-chat:push.platforms", "APNS, APNS_SANDBOX"]),
        ({"push": {"platforms": ["FCM", "FCM"]}}, ["realtime-chat:push.platforms", "at most once"]),
        ({"push": {"platform": ["FCM"]}}, ["realtime-chat:push.platform", "not a known setting"]),
        ({"events": {"archiveRetentionDays": -1}}, ["events.archiveRetentionDays", "0"]),
    ],
)
def test_wrong_push_and_events_settings_name_the_key(changes, expected):
    with pytest.raises(SettingsError) as raised:
        settings_from_config(dev_config(**changes))
    for fragment in expected:
        assert fragment in str(raised.value)


def test_push_credentials_are_secret_config_not_settings():
    secret = {"realtime-chat:pushCredentials": '{"secure": "v1:AAAA"}'}
    settings = settings_from_config({**dev_config(), **secret})
    assert settings.push.platforms == ("APNS_SANDBOX", "FCM")
    assert load_settings("prod").events.archive_retention_days == 90
    assert load_settings("dev").events.archive_retention_days == 0


def test_a_listed_platform_without_its_secret_credential_stops_the_program():
    with pytest.raises(pulumi.RunError) as raised:
        run_stack("dev", {"pushCredentials": {"FCM": {"credential": "x"}}})
    assert "pushCredentials.APNS_SANDBOX.credential is not set" in str(raised.value)
    assert "pulumi config set --secret" in str(raised.value)
