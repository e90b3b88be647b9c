"""Typed, validated stack settings: the only way the program and the emulator read configuration.

This module must not import pulumi: the emulator applies the same Cognito password policy
by calling `load_settings("dev")`, and the Pulumi program calls `settings_from_config` with
the values of `pulumi.Config`. A wrong or missing value raises `SettingsError` naming the
key, the value and what is allowed, before any resource is declared.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from chatspec.aws_limits import APPSYNC_QUERY_DEPTH_LIMIT, APPSYNC_RESOLVER_COUNT_LIMIT
from chatspec.rules import UPLOAD_KEY_PREFIX
from components.config_values import (
    PROJECT,
    SettingsError,
    as_bool,
    as_choice,
    as_int,
    as_list,
    as_object,
    as_text,
    fail,
    missing,
    reject_unknown,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent

LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827)
APPSYNC_FIELD_LOG_LEVELS = ("NONE", "ERROR", "INFO", "DEBUG", "ALL")
LAMBDA_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
ENCRYPTION_MODES = ("aws-owned", "customer-managed")
MFA_MODES = ("OFF", "OPTIONAL", "ON")
NETWORK_MODES = ("create", "existing")
SERVICE_LINKED_ROLE_MODES = ("create", "existing")

Encryption = Literal["aws-owned", "customer-managed"]


@dataclass(frozen=True)
class SearchSettings:
    instance_type: str
    instance_count: int
    dedicated_master_enabled: bool
    dedicated_master_type: str | None
    dedicated_master_count: int
    zone_awareness: bool
    availability_zone_count: int
    volume_size_gb: int
    engine_version: str
    service_linked_role: Literal["create", "existing"] = "create"


@dataclass(frozen=True)
class NetworkSettings:
    """`create` builds a VPC with private subnets; `existing` uses the given VPC and subnets."""

    mode: Literal["create", "existing"]
    cidr: str | None
    availability_zone_count: int
    vpc_id: str | None
    subnet_ids: tuple[str, ...]


@dataclass(frozen=True)
class CognitoSettings:
    password_minimum_length: int
    require_lowercase: bool
    require_uppercase: bool
    require_numbers: bool
    require_symbols: bool
    temporary_password_validity_days: int
    mfa: Literal["OFF", "OPTIONAL", "ON"]
    ses_identity_arn: str | None = None
    ses_from_address: str | None = None

    def password_policy(self) -> dict[str, int | bool]:
        """The user pool's password policy, in Pulumi's argument names
        (`aws.cognito.UserPoolPasswordPolicyArgs`). The deployed pool and the emulator's pool
        are both built from this, so they cannot drift."""
        return {
            "minimum_length": self.password_minimum_length,
            "require_lowercase": self.require_lowercase,
            "require_uppercase": self.require_uppercase,
            "require_numbers": self.require_numbers,
            "require_symbols": self.require_symbols,
            "temporary_password_validity_days": self.temporary_password_validity_days,
        }


@dataclass(frozen=True)
class AlarmSettings:
    """Where alarms go: a new topic (optionally with an e-mail subscription) or an existing one."""

    email: str | None
    topic_arn: str | None


@dataclass(frozen=True)
class UploadSettings:
    """The uploads bucket (attachments and avatars)."""

    versioning: bool = False
    noncurrent_version_days: int = 30
    unreferenced_upload_days: int = 1
    cors_origins: tuple[str, ...] = ()


UPLOADS_PREFIX = UPLOAD_KEY_PREFIX
"""Where presigned POSTs put objects not yet referenced by a message (expired by lifecycle)."""


@dataclass(frozen=True)
class StackSettings:
    prefix: str
    encryption: Encryption
    point_in_time_recovery: bool
    deletion_protection: bool
    retain_on_delete: bool
    log_retention_days: int
    appsync_field_log_level: str
    appsync_xray: bool
    search: SearchSettings
    network: NetworkSettings
    cognito: CognitoSettings
    alarms: AlarmSettings
    tags: dict[str, str] = field(default_factory=dict)
    kms_key_rotation_days: int = 365
    lambda_log_level: str = "INFO"
    waf_rate_limit: int | None = None
    appsync_query_depth_limit: int = 0
    appsync_resolver_count_limit: int = 0
    appsync_introspection: bool = True
    uploads: UploadSettings = field(default_factory=UploadSettings)

    @property
    def customer_managed_key(self) -> bool:
        return self.encryption == "customer-managed"


REQUIRED_KEYS = (
    "prefix",
    "encryption",
    "pointInTimeRecovery",
    "deletionProtection",
    "retainOnDelete",
    "logRetentionDays",
    "appsyncFieldLogLevel",
    "appsyncXray",
    "search",
    "network",
    "cognito",
)
OPTIONAL_KEYS = (
    "tags",
    "appsyncQueryDepthLimit",
    "appsyncResolverCountLimit",
    "appsyncIntrospection",
    "kmsKeyRotationDays",
    "lambdaLogLevel",
    "wafRateLimit",
    "alarmEmail",
    "alarmTopicArn",
    "uploads",
)
SETTING_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS

_SEARCH_KEYS = (
    "instanceType",
    "instanceCount",
    "dedicatedMasterEnabled",
    "dedicatedMasterType",
    "dedicatedMasterCount",
    "zoneAwareness",
    "availabilityZoneCount",
    "volumeSizeGb",
    "engineVersion",
    "serviceLinkedRole",
)
_NETWORK_KEYS = ("mode", "cidr", "availabilityZoneCount", "vpcId", "subnetIds")
_COGNITO_KEYS = (
    "passwordMinimumLength",
    "requireLowercase",
    "requireUppercase",
    "requireNumbers",
    "requireSymbols",
    "temporaryPasswordValidityDays",
    "mfa",
    "sesIdentityArn",
    "sesFromAddress",
)
_INSTANCE_TYPE = r"[a-z0-9]+\.[a-z0-9]+\.search"


def _required(values: dict[str, Any], key: str, parent: str, allowed: str) -> Any:
    if values.get(key) is None:
        raise missing(f"{parent}.{key}" if parent else key, allowed)
    return values[key]


def _search(raw: Any) -> SearchSettings:
    values = as_object("search", raw)
    reject_unknown("search", values, _SEARCH_KEYS)

    def need(key: str, allowed: str) -> Any:
        return _required(values, key, "search", allowed)

    instance_type = as_text(
        "search.instanceType",
        need("instanceType", "an OpenSearch instance type such as t3.small.search"),
        _INSTANCE_TYPE,
        "an OpenSearch instance type such as t3.small.search or r7g.large.search",
    )
    instance_count = as_int("search.instanceCount", need("instanceCount", "1 to 80"), 1, 80)
    masters = as_bool("search.dedicatedMasterEnabled", values.get("dedicatedMasterEnabled", False))
    master_type: str | None = None
    master_count = 0
    if masters:
        master_type = as_text(
            "search.dedicatedMasterType",
            need("dedicatedMasterType", "required when dedicatedMasterEnabled is true"),
            _INSTANCE_TYPE,
            "an OpenSearch instance type such as m7g.large.search",
        )
        master_count = as_choice(
            "search.dedicatedMasterCount", values.get("dedicatedMasterCount", 3), (3, 5)
        )
    zone_awareness = as_bool("search.zoneAwareness", values.get("zoneAwareness", False))
    zone_count = 1
    if zone_awareness:
        zone_count = as_choice(
            "search.availabilityZoneCount", values.get("availabilityZoneCount", 2), (2, 3)
        )
        if instance_count % zone_count:
            raise fail(
                "search.instanceCount",
                instance_count,
                f"with zone awareness over {zone_count} zones the count must be a multiple "
                f"of {zone_count}",
            )
    volume = as_int("search.volumeSizeGb", need("volumeSizeGb", "10 to 3072"), 10, 3072)
    engine = as_text(
        "search.engineVersion",
        values.get("engineVersion", "OpenSearch_2.19"),
        r"OpenSearch_\d+\.\d+",
        "OpenSearch_<major>.<minor>, e.g. OpenSearch_2.19",
    )
    return SearchSettings(
        instance_type=instance_type,
        instance_count=instance_count,
        dedicated_master_enabled=masters,
        dedicated_master_type=master_type,
        dedicated_master_count=master_count,
        zone_awareness=zone_awareness,
        availability_zone_count=zone_count,
        volume_size_gb=volume,
        engine_version=engine,
        service_linked_role=as_choice(
            "search.serviceLinkedRole",
            values.get("serviceLinkedRole", "create"),
            SERVICE_LINKED_ROLE_MODES,
        ),
    )


def _network(raw: Any) -> NetworkSettings:
    values = as_object("network", raw)
    reject_unknown("network", values, _NETWORK_KEYS)
    mode = as_choice(
        "network.mode", _required(values, "mode", "network", "create or existing"), NETWORK_MODES
    )
    if mode == "create":
        cidr = _required(values, "cidr", "network", "an IPv4 block from /16 to /22")
        try:
            block = ipaddress.IPv4Network(str(cidr))
        except ValueError:
            raise fail(
                "network.cidr", cidr, "an IPv4 block from /16 to /22, e.g. 10.20.0.0/16"
            ) from None
        if not 16 <= block.prefixlen <= 22:
            raise fail("network.cidr", cidr, "an IPv4 block from /16 to /22, e.g. 10.20.0.0/16")
        zones = as_int(
            "network.availabilityZoneCount",
            _required(values, "availabilityZoneCount", "network", "2 or 3"),
            2,
            3,
        )
        return NetworkSettings("create", str(block), zones, None, ())
    vpc_id = as_text(
        "network.vpcId",
        _required(values, "vpcId", "network", "the id of an existing VPC"),
        r"vpc-[0-9a-f]{8,17}",
        "a VPC id such as vpc-0123456789abcdef0",
    )
    subnets = as_list(
        "network.subnetIds", _required(values, "subnetIds", "network", "private subnet ids")
    )
    for subnet in subnets:
        as_text(
            "network.subnetIds",
            subnet,
            r"subnet-[0-9a-f]{8,17}",
            "subnet ids such as subnet-0123456789abcdef0",
        )
    if len(subnets) < 2 or len(set(subnets)) != len(subnets):
        raise fail("network.subnetIds", subnets, "at least two distinct private subnets")
    return NetworkSettings("existing", None, len(subnets), vpc_id, tuple(subnets))


_UPLOAD_KEYS = ("versioning", "noncurrentVersionDays", "unreferencedUploadDays", "corsOrigins")
_ORIGIN = r"https://[a-z0-9.-]+(:[0-9]{1,5})?|http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?"
MAX_CORS_ORIGINS = 20


def _uploads(raw: Any) -> UploadSettings:
    values = as_object("uploads", raw)
    reject_unknown("uploads", values, _UPLOAD_KEYS)
    origins = as_list("uploads.corsOrigins", values.get("corsOrigins", []))
    if len(origins) > MAX_CORS_ORIGINS:
        raise fail("uploads.corsOrigins", origins, f"at most {MAX_CORS_ORIGINS} origins")
    return UploadSettings(
        versioning=as_bool("uploads.versioning", values.get("versioning", False)),
        noncurrent_version_days=as_int(
            "uploads.noncurrentVersionDays", values.get("noncurrentVersionDays", 30), 1, 365
        ),
        unreferenced_upload_days=as_int(
            "uploads.unreferencedUploadDays", values.get("unreferencedUploadDays", 1), 1, 30
        ),
        cors_origins=tuple(
            as_text(
                f"uploads.corsOrigins[{n}]",
                origin,
                _ORIGIN,
                "an https:// origin (scheme, host, optional port; no path), or http://localhost",
            )
            for n, origin in enumerate(origins)
        ),
    )


def _cognito(raw: Any) -> CognitoSettings:
    values = as_object("cognito", raw)
    reject_unknown("cognito", values, _COGNITO_KEYS)
    return CognitoSettings(
        password_minimum_length=as_int(
            "cognito.passwordMinimumLength",
            _required(values, "passwordMinimumLength", "cognito", "8 to 99"),
            8,
            99,
        ),
        require_lowercase=as_bool("cognito.requireLowercase", values.get("requireLowercase", True)),
        require_uppercase=as_bool("cognito.requireUppercase", values.get("requireUppercase", True)),
        require_numbers=as_bool("cognito.requireNumbers", values.get("requireNumbers", True)),
        require_symbols=as_bool("cognito.requireSymbols", values.get("requireSymbols", False)),
        temporary_password_validity_days=as_int(
            "cognito.temporaryPasswordValidityDays",
            values.get("temporaryPasswordValidityDays", 7),
            1,
            365,
        ),
        mfa=as_choice(
            "cognito.mfa", _required(values, "mfa", "cognito", "OFF, OPTIONAL or ON"), MFA_MODES
        ),
        **_ses(values),
    )


def _ses(values: dict[str, Any]) -> dict[str, str | None]:
    """Cognito's own mail is capped at a few messages a day; production sends through SES."""
    arn, sender = values.get("sesIdentityArn"), values.get("sesFromAddress")
    if arn is None and sender is None:
        return {"ses_identity_arn": None, "ses_from_address": None}
    if arn is None or sender is None:
        key, value = (
            ("cognito.sesFromAddress", sender)
            if arn is None
            else (
                "cognito.sesIdentityArn",
                arn,
            )
        )
        raise fail(key, value, "set cognito.sesIdentityArn and cognito.sesFromAddress together")
    as_text(
        "cognito.sesIdentityArn",
        arn,
        r"arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity/[^\s]+",
        "the ARN of a verified SES identity, e.g. arn:aws:ses:eu-west-1:123456789012:identity/"
        "example.com",
    )
    as_text(
        "cognito.sesFromAddress",
        sender,
        r"([^<>@\s]+ )*<?[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>?",
        "an address of the SES identity, e.g. Chat <no-reply@example.com>",
    )
    return {"ses_identity_arn": arn, "ses_from_address": sender}


def _tags(raw: Any) -> dict[str, str]:
    values = as_object("tags", raw)
    for key, value in values.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.startswith("aws:"):
            raise SettingsError(
                f"{PROJECT}:tags has the key {key!r}: tag keys are 1 to 128 characters "
                "and must not start with aws:"
            )
        if not isinstance(value, str) or len(value) > 256:
            raise SettingsError(
                f"{PROJECT}:tags.{key} = {value!r} is not allowed: a string of up to 256 characters"
            )
    return values


def _alarms(values: dict[str, Any]) -> AlarmSettings:
    email = values.get("alarmEmail")
    topic = values.get("alarmTopicArn")
    if email is not None:
        as_text("alarmEmail", email, r"[^@\s]+@[^@\s]+\.[^@\s]+", "an e-mail address")
    if topic is not None:
        as_text(
            "alarmTopicArn",
            topic,
            r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}",
            "the ARN of an existing SNS topic",
        )
    if email is not None and topic is not None:
        raise fail(
            "alarmEmail",
            email,
            "set alarmEmail (a new topic with that subscriber) or alarmTopicArn, not both",
        )
    return AlarmSettings(email=email, topic_arn=topic)


def settings_from_config(config: dict[str, Any]) -> StackSettings:
    """Validate raw config values (keys with or without the `realtime-chat:` prefix)."""
    values: dict[str, Any] = {}
    for key, value in config.items():
        namespace, _, name = key.rpartition(":")
        if namespace and namespace != PROJECT:
            continue
        if value is not None:
            values[name] = value
    reject_unknown("", values, SETTING_KEYS)
    for key in REQUIRED_KEYS:
        if key not in values:
            raise missing(key, f"every stack must set {PROJECT}:{key}")

    prefix = as_text(
        "prefix",
        values["prefix"],
        r"[a-z][a-z0-9-]{1,18}[a-z0-9]",
        "3 to 20 characters: lowercase letters, digits and '-', starting with a letter "
        "(it begins every resource name, and OpenSearch domain names are short)",
    )
    search = _search(values["search"])
    network = _network(values["network"])
    if search.zone_awareness and search.availability_zone_count > network.availability_zone_count:
        raise fail(
            "search.availabilityZoneCount",
            search.availability_zone_count,
            f"at most the network's {network.availability_zone_count} availability zones",
        )
    waf = values.get("wafRateLimit")
    return StackSettings(
        prefix=prefix,
        tags=_tags(values.get("tags", {})),
        encryption=as_choice("encryption", values["encryption"], ENCRYPTION_MODES),
        kms_key_rotation_days=as_int(
            "kmsKeyRotationDays", values.get("kmsKeyRotationDays", 365), 90, 2560
        ),
        point_in_time_recovery=as_bool("pointInTimeRecovery", values["pointInTimeRecovery"]),
        deletion_protection=as_bool("deletionProtection", values["deletionProtection"]),
        retain_on_delete=as_bool("retainOnDelete", values["retainOnDelete"]),
        log_retention_days=as_choice(
            "logRetentionDays", _int_or_raw(values["logRetentionDays"]), LOG_RETENTION_DAYS
        ),
        lambda_log_level=as_choice(
            "lambdaLogLevel", values.get("lambdaLogLevel", "INFO"), LAMBDA_LOG_LEVELS
        ),
        appsync_field_log_level=as_choice(
            "appsyncFieldLogLevel", values["appsyncFieldLogLevel"], APPSYNC_FIELD_LOG_LEVELS
        ),
        appsync_xray=as_bool("appsyncXray", values["appsyncXray"]),
        appsync_query_depth_limit=as_int(
            "appsyncQueryDepthLimit",
            values.get("appsyncQueryDepthLimit", 0),
            0,
            APPSYNC_QUERY_DEPTH_LIMIT.value,
        ),
        appsync_resolver_count_limit=as_int(
            "appsyncResolverCountLimit",
            values.get("appsyncResolverCountLimit", 0),
            0,
            APPSYNC_RESOLVER_COUNT_LIMIT.value,
        ),
        appsync_introspection=as_bool(
            "appsyncIntrospection", values.get("appsyncIntrospection", True)
        ),
        search=search,
        network=network,
        waf_rate_limit=None if waf is None else as_int("wafRateLimit", waf, 10, 2_000_000_000),
        cognito=_cognito(values["cognito"]),
        alarms=_alarms(values),
        uploads=_uploads(values.get("uploads", {})),
    )


def _int_or_raw(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def stack_config(stack: str, project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The `config:` map of `Pulumi.<stack>.yaml`, keys as written (`realtime-chat:prefix`)."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        known = sorted(
            p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml")
        )
        raise SettingsError(f"no stack {stack!r}: {path} does not exist; stacks: {known}")
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise SettingsError(f"{path}: 'config' must be a map of settings")
    return config


def load_settings(stack: str, project_dir: Path = PROJECT_DIR) -> StackSettings:
    """Settings of a stack straight from its `Pulumi.<stack>.yaml` (no Pulumi needed)."""
    return settings_from_config(stack_config(stack, project_dir))
