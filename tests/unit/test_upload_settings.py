"""`uploads.*` settings: defaults, and a wrong value stops the program naming the key."""

from __future__ import annotations

import pytest

from stacksettings.settings import SettingsError, UploadSettings, settings_from_config, stack_config


def with_uploads(uploads):
    config = stack_config("dev")
    config["realtime-chat:uploads"] = uploads
    return settings_from_config(config)


def test_absent_keys_take_the_defaults():
    assert with_uploads({}).uploads == UploadSettings()
    assert UploadSettings().malware_scanning is False


def test_malware_scanning_is_a_boolean_the_stacks_set():
    assert with_uploads({"malwareScanning": True}).malware_scanning is True
    assert stack_config("prod")["realtime-chat:uploads"]["malwareScanning"] is True
    assert stack_config("dev")["realtime-chat:uploads"]["malwareScanning"] is False


@pytest.mark.parametrize(
    ("uploads", "key"),
    [
        ({"corsOrigins": ["http://evil.example.com"]}, "uploads.corsOrigins[0]"),
        ({"corsOrigins": ["https://chat.example.com/path"]}, "uploads.corsOrigins[0]"),
        ({"corsOrigins": [f"https://h{n}.example.com" for n in range(21)]}, "uploads.corsOrigins"),
        ({"noncurrentVersionDays": 366}, "uploads.noncurrentVersionDays"),
        ({"versioning": "yes"}, "uploads.versioning"),
        ({"malwareScanning": "on"}, "uploads.malwareScanning"),
        ({"malwareScanning": 1}, "uploads.malwareScanning"),
        ({"public": True}, "uploads.public"),
    ],
)
def test_a_wrong_value_names_its_key(uploads, key):
    with pytest.raises(SettingsError) as raised:
        with_uploads(uploads)
    assert key in str(raised.value)
