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
from typing import Any, Literal, TypedDict

import yaml

from chatspec.rules import UPLOAD_KEY_PREFIX
from stacksettings.config_values import (
    PROJECT,
    SettingsError,
    as_choice,
    as_list,
    as_text,
    fail,
    missing,
    reject_unknown,
)
from stacksettings.keys import (
    APPSYNC_FIELD_LOG_LEVELS,
    BEDROCK_PROFILE_GEOGRAPHIES,
    CORS_ORIGIN,
    ENCRYPTION_MODES,
    LAMBDA_LOG_LEVELS,
    LOG_RETENTION_DAYS,
    MAX_CORS_ORIGINS,
    MFA_MODES,
    NETWORK_MODES,
    PUSH_CREDENTIALS_KEY,
    PUSH_PLATFORMS,
    SECRET_KEYS,
    SERVICE_LINKED_ROLE_MODES,
    Key,
    setting,
    under,
)

__all__ = [
    "APPSYNC_FIELD_LOG_LEVELS",
    "BEDROCK_PROFILE_GEOGRAPHIES",
    "ENCRYPTION_MODES",
    "LAMBDA_LOG_LEVELS",
    "LOG_RETENTION_DAYS",
    "MAX_CORS_ORIGINS",
    "MFA_MODES",
    "NETWORK_MODES",
    "OPTIONAL_KEYS",
    "PROJECT",
    "PROJECT_DIR",
    "PUSH_CREDENTIALS_KEY",
    "PUSH_PLATFORMS",
    "REQUIRED_KEYS",
    "SECRET_KEYS",
    "SERVICE_LINKED_ROLE_MODES",
    "SETTING_KEYS",
    "UPLOADS_PREFIX",
    "AlarmSettings",
    "AssistantSettings",
    "CognitoSettings",
    "EventsSettings",
    "NetworkSettings",
    "PasswordPolicy",
    "PushSettings",
    "SearchSettings",
    "SettingsError",
    "StackSettings",
    "UploadSettings",
    "load_settings",
    "settings_from_config",
    "stack_config",
]

PROJECT_DIR = Path(__file__).resolve().parent.parent

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
    service_linked_role: Literal["create", "existing"]


@dataclass(frozen=True)
class NetworkSettings:
    """`create` builds a VPC with private subnets; `existing` uses the given VPC and subnets."""

    mode: Literal["create", "existing"]
    cidr: str | None
    availability_zone_count: int
    vpc_id: str | None
    subnet_ids: tuple[str, ...]


class PasswordPolicy(TypedDict):
    minimum_length: int
    require_lowercase: bool
    require_uppercase: bool
    require_numbers: bool
    require_symbols: bool
    temporary_password_validity_days: int


@dataclass(frozen=True)
class CognitoSettings:
    password_minimum_length: int
    require_lowercase: bool
    require_uppercase: bool
    require_numbers: bool
    require_symbols: bool
    temporary_password_validity_days: int
    mfa: Literal["OFF", "OPTIONAL", "ON"]
    ses_identity_arn: str | None
    ses_from_address: str | None

    def password_policy(self) -> PasswordPolicy:
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
class AssistantSettings:
    """The AI assistant (Amazon Bedrock, Converse). Absent from the stack settings means no
    assistant: no function, no rule, no Bedrock permission. Rooms opt in on top of this
    (`enableAssistant`). `model_id` is a foundation model id or a system-defined inference
    profile id (`eu.<model id>`); IAM allows InvokeModel on exactly that model or profile."""

    model_id: str
    guardrail_id: str | None = None
    guardrail_version: str | None = None
    max_tokens: int = 512
    room_daily_tokens: int = 100_000
    user_requests_per_minute: int = 5

    @property
    def inference_profile(self) -> bool:
        return self.model_id.split(".", 1)[0] in BEDROCK_PROFILE_GEOGRAPHIES

    @property
    def foundation_model_id(self) -> str:
        """The model a profile routes to (the id itself for a foundation model)."""
        return self.model_id.split(".", 1)[1] if self.inference_profile else self.model_id


@dataclass(frozen=True)
class PushSettings:
    """SNS mobile push platform applications to create (GraphQL names: APNS, APNS_SANDBOX,
    FCM). Their credentials are never settings: they are the Pulumi secret config
    `PUSH_CREDENTIALS_KEY`."""

    platforms: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventsSettings:
    """The event bus: `archive_retention_days` > 0 keeps every event that long for replay."""

    archive_retention_days: int = 0


@dataclass(frozen=True)
class UploadSettings:
    """The uploads bucket (attachments and avatars)."""

    versioning: bool = False
    noncurrent_version_days: int = 30
    cors_origins: tuple[str, ...] = ()
    malware_scanning: bool = False
    """GuardDuty Malware Protection for S3 on `uploads/`: only objects it finds clean are READY."""

    def cors_rules(self, extra_origins: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The bucket's CORS rules in S3's own shape (PutBucketCors' `CORSRules`): browsers on
        `cors_origins` POST uploads and fetch files; none when no origin is set. The stack
        deploys them (`components/uploads.py`); the emulator answers with them, plus the
        origin of its demo page (`extra_origins`)."""
        origins = [*self.cors_origins, *(o for o in extra_origins if o not in self.cors_origins)]
        if not origins:
            return []
        return [
            {
                "AllowedMethods": ["GET", "POST"],
                "AllowedOrigins": origins,
                "AllowedHeaders": ["*"],
                "MaxAgeSeconds": 3000,
            }
        ]


UPLOADS_PREFIX = UPLOAD_KEY_PREFIX
"""Where presigned POSTs put objects (`uploads/<uploadId>`)."""


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
    tags: dict[str, str]
    kms_key_rotation_days: int
    lambda_log_level: str
    waf_rate_limit: int | None
    appsync_query_depth_limit: int
    appsync_resolver_count_limit: int
    appsync_introspection: bool
    assistant: AssistantSettings | None = None
    push: PushSettings = field(default_factory=PushSettings)
    events: EventsSettings = field(default_factory=EventsSettings)
    uploads: UploadSettings = field(default_factory=UploadSettings)

    @property
    def customer_managed_key(self) -> bool:
        return self.encryption == "customer-managed"

    @property
    def malware_scanning(self) -> bool:
        """`uploads.malwareScanning`, for the views that need only this of the uploads."""
        return self.uploads.malware_scanning


REQUIRED_KEYS = tuple(k.path for k in under("") if k.required)
OPTIONAL_KEYS = tuple(k.path for k in under("") if not k.required)
SETTING_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS


def _read_all(keys: tuple[Key, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Each key's validated value (or default) under its dataclass field name."""
    return {k.field: k.read(values) for k in keys}


def _search(raw: Any) -> SearchSettings:
    values = setting("search").parse(raw)
    reject_unknown("search", values, [k.name for k in under("search")])
    conditional = ("dedicatedMasterType", "dedicatedMasterCount", "availabilityZoneCount")
    read = _read_all(tuple(k for k in under("search") if k.name not in conditional), values)
    masters = read["dedicated_master_enabled"]
    read["dedicated_master_type"] = (
        setting("search.dedicatedMasterType").read(values, required=True) if masters else None
    )
    read["dedicated_master_count"] = (
        setting("search.dedicatedMasterCount").read(values) if masters else 0
    )
    zones = setting("search.availabilityZoneCount")
    read["availability_zone_count"] = zones.read(values) if read["zone_awareness"] else 1
    zone_count = read["availability_zone_count"]
    if read["instance_count"] % zone_count:
        raise fail(
            "search.instanceCount",
            read["instance_count"],
            f"with zone awareness over {zone_count} zones the count must be a multiple "
            f"of {zone_count}",
        )
    return SearchSettings(**read)


def _network(raw: Any) -> NetworkSettings:
    values = setting("network").parse(raw)
    reject_unknown("network", values, [k.name for k in under("network")])
    mode = setting("network.mode").read(values)
    if mode == "create":
        cidr = setting("network.cidr").read(values, required=True)
        allowed = setting("network.cidr").allowed
        try:
            block = ipaddress.IPv4Network(str(cidr))
        except ValueError:
            raise fail("network.cidr", cidr, allowed) from None
        if not 16 <= block.prefixlen <= 22:
            raise fail("network.cidr", cidr, allowed)
        zones = setting("network.availabilityZoneCount").read(values, required=True)
        return NetworkSettings("create", str(block), zones, None, ())
    vpc_id = setting("network.vpcId").read(values, required=True)
    subnets = setting("network.subnetIds").read(values, required=True)
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


def _cognito(raw: Any) -> CognitoSettings:
    values = setting("cognito").parse(raw)
    reject_unknown("cognito", values, [k.name for k in under("cognito")])
    ses = ("sesIdentityArn", "sesFromAddress")
    read = _read_all(tuple(k for k in under("cognito") if k.name not in ses), values)
    arn, sender = _ses(values)
    return CognitoSettings(**read, ses_identity_arn=arn, ses_from_address=sender)


def _ses(values: dict[str, Any]) -> tuple[str | None, str | None]:
    """Cognito's own mail is capped at a few messages a day; production sends through SES.
    Returns (identity ARN, sender address), both or neither."""
    arn, sender = values.get("sesIdentityArn"), values.get("sesFromAddress")
    if arn is None and sender is None:
        return None, None
    if arn is None or sender is None:
        key_, value = (
            ("cognito.sesFromAddress", sender)
            if arn is None
            else (
                "cognito.sesIdentityArn",
                arn,
            )
        )
        raise fail(key_, value, "set cognito.sesIdentityArn and cognito.sesFromAddress together")
    return (
        setting("cognito.sesIdentityArn").parse(arn),
        setting("cognito.sesFromAddress").parse(sender),
    )


def _tags(raw: Any) -> dict[str, str]:
    values = setting("tags").parse(raw)
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
    alarms = AlarmSettings(**_read_all((setting("alarmEmail"), setting("alarmTopicArn")), values))
    if alarms.email is not None and alarms.topic_arn is not None:
        raise fail(
            "alarmEmail",
            alarms.email,
            "set alarmEmail (a new topic with that subscriber) or alarmTopicArn, not both",
        )
    return alarms


def _assistant(raw: Any) -> AssistantSettings | None:
    if raw is None:
        return None
    values = setting("assistant").parse(raw)
    reject_unknown("assistant", values, [k.name for k in under("assistant")])
    guardrail_id, guardrail_version = values.get("guardrailId"), values.get("guardrailVersion")
    if (guardrail_id is None) != (guardrail_version is None):
        key, value = (
            ("assistant.guardrailVersion", guardrail_version)
            if guardrail_version is None
            else ("assistant.guardrailId", guardrail_id)
        )
        raise fail(key, value, "set assistant.guardrailId and assistant.guardrailVersion together")
    if guardrail_version is not None:
        values = {**values, "guardrailVersion": str(guardrail_version)}
    return AssistantSettings(**_read_all(under("assistant"), values))


def _push(raw: Any) -> PushSettings:
    values = {} if raw is None else setting("push").parse(raw)
    reject_unknown("push", values, [k.name for k in under("push")])
    platforms = setting("push.platforms").read(values) or ()
    for platform in platforms:
        as_choice("push.platforms", platform, PUSH_PLATFORMS)
    if len(set(platforms)) != len(platforms):
        raise fail("push.platforms", list(platforms), "each platform at most once")
    return PushSettings(platforms=tuple(platforms))


def _events(raw: Any) -> EventsSettings:
    values = {} if raw is None else setting("events").parse(raw)
    reject_unknown("events", values, [k.name for k in under("events")])
    return EventsSettings(**_read_all(under("events"), values))


def _uploads(raw: Any) -> UploadSettings:
    values = {} if raw is None else setting("uploads").parse(raw)
    reject_unknown("uploads", values, [k.name for k in under("uploads")])
    read = _read_all(under("uploads"), values)
    origins = as_list("uploads.corsOrigins", read["cors_origins"] or [])
    if len(origins) > MAX_CORS_ORIGINS:
        raise fail("uploads.corsOrigins", origins, f"at most {MAX_CORS_ORIGINS} origins")
    read["cors_origins"] = tuple(
        as_text(
            f"uploads.corsOrigins[{n}]",
            origin,
            CORS_ORIGIN,
            "an https:// origin (scheme, host, optional port; no path), or http://localhost",
        )
        for n, origin in enumerate(origins)
    )
    return UploadSettings(**read)


_COMPOSITE = (
    "tags",
    "search",
    "network",
    "cognito",
    "alarmEmail",
    "alarmTopicArn",
    "assistant",
    "push",
    "events",
    "uploads",
)


def settings_from_config(config: dict[str, Any]) -> StackSettings:
    """Validate raw config values (keys with or without the `realtime-chat:` prefix)."""
    values: dict[str, Any] = {}
    for name, value in config.items():
        namespace, _, name = name.rpartition(":")
        if namespace and namespace != PROJECT:
            continue
        if name in SECRET_KEYS:
            continue
        if value is not None:
            values[name] = value
    reject_unknown("", values, SETTING_KEYS)
    for name in REQUIRED_KEYS:
        if name not in values:
            raise missing(name, f"every stack must set {PROJECT}:{name}")

    scalars = _read_all(tuple(k for k in under("") if k.path not in _COMPOSITE), values)
    search = _search(values["search"])
    network = _network(values["network"])
    if search.zone_awareness and search.availability_zone_count > network.availability_zone_count:
        raise fail(
            "search.availabilityZoneCount",
            search.availability_zone_count,
            f"at most the network's {network.availability_zone_count} availability zones",
        )
    return StackSettings(
        **scalars,
        tags=_tags(values.get("tags", {})),
        search=search,
        network=network,
        cognito=_cognito(values["cognito"]),
        alarms=_alarms(values),
        assistant=_assistant(values.get("assistant")),
        push=_push(values.get("push")),
        events=_events(values.get("events")),
        uploads=_uploads(values.get("uploads")),
    )


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
