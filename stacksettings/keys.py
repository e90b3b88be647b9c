"""Every stack setting, declared once: its type, allowed values, default and what it means.

Validation (`stacksettings.settings`), the values of the settings dataclasses and the README's
settings table (`python -m stacksettings.readme --write`) are all read from `KEYS`, so a
setting cannot be validated one way and documented another. Rules that tie several keys
together (zone awareness against the network's zones, SES identity and sender set together,
one alarm destination) stay in code in `stacksettings.settings`, next to the keys they join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from chatspec.aws_limits import APPSYNC_QUERY_DEPTH_LIMIT, APPSYNC_RESOLVER_COUNT_LIMIT
from stacksettings.config_values import (
    PROJECT,
    as_bool,
    as_choice,
    as_int,
    as_list,
    as_object,
    as_text,
    missing,
)

Kind = Literal["bool", "int", "choice", "text", "object", "list"]


class _Required:
    """The default of a key every stack must set."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827)
APPSYNC_FIELD_LOG_LEVELS = ("NONE", "ERROR", "INFO", "DEBUG", "ALL")
LAMBDA_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
ENCRYPTION_MODES = ("aws-owned", "customer-managed")
MFA_MODES = ("OFF", "OPTIONAL", "ON")
NETWORK_MODES = ("create", "existing")
SERVICE_LINKED_ROLE_MODES = ("create", "existing")
INSTANCE_TYPE = r"[a-z0-9]+\.[a-z0-9]+\.search"
BEDROCK_PROFILE_GEOGRAPHIES = ("us", "eu", "apac", "us-gov", "jp", "au", "ca", "global")
"""Prefixes of Bedrock's system-defined (cross-Region) inference profile ids, e.g.
`eu.anthropic.claude-3-haiku-20240307-v1:0`; any other id names a foundation model."""
_FOUNDATION_MODEL_ID = r"[a-z0-9-]+\.[a-z0-9.-]+(:[0-9]+)?(:[0-9]+k)?"
BEDROCK_MODEL_ID = rf"(({'|'.join(BEDROCK_PROFILE_GEOGRAPHIES)})\.)?{_FOUNDATION_MODEL_ID}"
PUSH_PLATFORMS = ("APNS", "APNS_SANDBOX", "FCM")
PUSH_CREDENTIALS_KEY = "pushCredentials"
"""Secret config (`pulumi config set --secret --path pushCredentials.FCM.credential ...`),
read by the program as a Pulumi secret, never validated as a setting."""
SECRET_KEYS = (PUSH_CREDENTIALS_KEY,)
CORS_ORIGIN = r"https://[a-z0-9.-]+(:[0-9]{1,5})?|http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?"
MAX_CORS_ORIGINS = 20


@dataclass(frozen=True)
class Key:
    """One setting. `path` is the config key as a user writes it (`search.instanceType`);
    `field` the attribute of the settings dataclass that holds the validated value."""

    path: str
    kind: Kind
    meaning: str
    field: str
    default: Any = REQUIRED
    choices: tuple[Any, ...] = ()
    low: int = 0
    high: int = 0
    pattern: str = ""
    allowed: str = ""
    hint: str = ""
    dev_note: str = ""
    prod_note: str = ""

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def missing_hint(self) -> str:
        """What the error for a missing value says is allowed."""
        if self.hint:
            return self.hint
        if not self.parent:
            return f"every stack must set {PROJECT}:{self.path}"
        if self.kind == "int":
            return f"{self.low} to {self.high}"
        if self.kind == "choice":
            *rest, last = (str(c) for c in self.choices)
            return f"{', '.join(rest)} or {last}"
        return self.allowed

    def parse(self, value: Any) -> Any:
        """The validated value; raises `SettingsError` naming the key, value and what is allowed."""
        if self.kind == "bool":
            return as_bool(self.path, value)
        if self.kind == "int":
            return as_int(self.path, value, self.low, self.high)
        if self.kind == "choice":
            numeric = all(isinstance(c, int) for c in self.choices)
            if numeric and isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            return as_choice(self.path, value, self.choices)
        if self.kind == "text":
            return as_text(self.path, value, self.pattern, self.allowed)
        if self.kind == "object":
            return as_object(self.path, value)
        return as_list(self.path, value)

    def read(self, values: dict[str, Any], *, required: bool | None = None) -> Any:
        """This key's value from the map it lives in (`values`), or its default."""
        value = values.get(self.name)
        must = self.required if required is None else required
        # An explicit null counts as absent only where there is nothing else to fall back on:
        # `requireSymbols: null` is a mistake, not a request for the default.
        if value is None and (must or self.name not in values or self.default is None):
            if must:
                raise missing(self.path, self.missing_hint())
            return None if self.required else self.default
        return self.parse(value)

    def allowed_text(self) -> str:
        """The README's "allowed" half of a row."""
        if self.kind == "bool":
            return "`true` or `false`"
        if self.kind == "int":
            return f"{self.low} to {self.high}"
        if self.kind == "choice":
            return ", ".join(f"`{c}`" for c in self.choices)
        if self.kind == "text":
            return self.allowed
        return "a map" if self.kind == "object" else (self.allowed or "a list")


def _int(path: str, meaning: str, field: str, low: int, high: int, **more: Any) -> Key:
    return Key(path, "int", meaning, field, low=low, high=high, **more)


def _bool(path: str, meaning: str, field: str, **more: Any) -> Key:
    return Key(path, "bool", meaning, field, **more)


def _choice(path: str, meaning: str, field: str, choices: tuple[Any, ...], **more: Any) -> Key:
    return Key(path, "choice", meaning, field, choices=choices, **more)


KEYS: tuple[Key, ...] = (
    Key(
        "prefix",
        "text",
        "begins every resource name",
        "prefix",
        pattern=r"[a-z][a-z0-9-]{1,18}[a-z0-9]",
        allowed="3 to 20 characters: lowercase letters, digits and '-', starting with a letter "
        "(it begins every resource name, and OpenSearch domain names are short)",
    ),
    Key(
        "tags",
        "object",
        "tags on every taggable resource (keys of 1 to 128 characters, not `aws:`; "
        "values up to 256)",
        "tags",
        default={},
    ),
    _choice(
        "encryption",
        "`customer-managed`: one KMS key with rotation for tables, search, logs and queues",
        "encryption",
        ENCRYPTION_MODES,
    ),
    _int(
        "kmsKeyRotationDays",
        "rotation period of the customer-managed key",
        "kms_key_rotation_days",
        90,
        2560,
        default=365,
    ),
    _bool("pointInTimeRecovery", "DynamoDB point-in-time recovery", "point_in_time_recovery"),
    _bool(
        "deletionProtection", "deletion protection on tables and user pool", "deletion_protection"
    ),
    _bool(
        "retainOnDelete",
        "`protect` + `retain_on_delete` on tables, user pool, search domain, key",
        "retain_on_delete",
    ),
    _choice(
        "logRetentionDays",
        "CloudWatch log retention of every log group",
        "log_retention_days",
        LOG_RETENTION_DAYS,
    ),
    _choice(
        "lambdaLogLevel", "Lambda log level", "lambda_log_level", LAMBDA_LOG_LEVELS, default="INFO"
    ),
    _choice(
        "appsyncFieldLogLevel",
        "AppSync field-level logging",
        "appsync_field_log_level",
        APPSYNC_FIELD_LOG_LEVELS,
    ),
    _bool("appsyncXray", "X-Ray tracing on the API", "appsync_xray"),
    _int(
        "appsyncQueryDepthLimit",
        "nested levels per query; 0 = no limit",
        "appsync_query_depth_limit",
        0,
        APPSYNC_QUERY_DEPTH_LIMIT.value,
        default=0,
    ),
    _int(
        "appsyncResolverCountLimit",
        "resolvers per request; 0 = AppSync's own limit",
        "appsync_resolver_count_limit",
        0,
        APPSYNC_RESOLVER_COUNT_LIMIT.value,
        default=0,
    ),
    _bool(
        "appsyncIntrospection",
        "introspection queries allowed",
        "appsync_introspection",
        default=True,
    ),
    Key("search", "object", "the OpenSearch domain (keys below)", "search"),
    Key(
        "search.instanceType",
        "text",
        "data node instance type",
        "instance_type",
        pattern=INSTANCE_TYPE,
        allowed="an OpenSearch instance type such as t3.small.search or r7g.large.search",
        hint="an OpenSearch instance type such as t3.small.search",
    ),
    _int(
        "search.instanceCount",
        "data nodes; a multiple of the zone count with zone awareness",
        "instance_count",
        1,
        80,
    ),
    _bool(
        "search.dedicatedMasterEnabled",
        "dedicated master nodes",
        "dedicated_master_enabled",
        default=False,
    ),
    Key(
        "search.dedicatedMasterType",
        "text",
        "master node instance type, required with masters",
        "dedicated_master_type",
        default=None,
        pattern=INSTANCE_TYPE,
        allowed="an OpenSearch instance type such as m7g.large.search",
        hint="required when dedicatedMasterEnabled is true",
    ),
    _choice(
        "search.dedicatedMasterCount",
        "master nodes, with masters",
        "dedicated_master_count",
        (3, 5),
        default=3,
    ),
    _bool("search.zoneAwareness", "spread nodes over zones", "zone_awareness", default=False),
    _choice(
        "search.availabilityZoneCount",
        "zones with zone awareness, at most the network's",
        "availability_zone_count",
        (2, 3),
        default=2,
        dev_note="(1 zone)",
    ),
    _int("search.volumeSizeGb", "gp3 volume per node, GiB", "volume_size_gb", 10, 3072),
    Key(
        "search.engineVersion",
        "text",
        "OpenSearch engine version",
        "engine_version",
        default="OpenSearch_2.19",
        pattern=r"OpenSearch_\d+\.\d+",
        allowed="OpenSearch_<major>.<minor>, e.g. OpenSearch_2.19",
    ),
    _choice(
        "search.serviceLinkedRole",
        "`existing` when the account already has OpenSearch's service-linked role",
        "service_linked_role",
        SERVICE_LINKED_ROLE_MODES,
        default="create",
    ),
    Key("network", "object", "the VPC the search domain and its Lambdas run in", "network"),
    _choice("network.mode", "`create` a VPC, or use an `existing` one", "mode", NETWORK_MODES),
    Key(
        "network.cidr",
        "text",
        "with `create`: the VPC's IPv4 block",
        "cidr",
        default=None,
        pattern=r"[0-9./]+",  # the address and prefix length are checked by ipaddress
        allowed="an IPv4 block from /16 to /22, e.g. 10.20.0.0/16",
        hint="an IPv4 block from /16 to /22",
    ),
    _int(
        "network.availabilityZoneCount",
        "with `create`: private subnets, one per zone",
        "availability_zone_count",
        2,
        3,
        default=None,
        hint="2 or 3",
    ),
    Key(
        "network.vpcId",
        "text",
        "with `existing`: the VPC (it must already route DynamoDB)",
        "vpc_id",
        default=None,
        pattern=r"vpc-[0-9a-f]{8,17}",
        allowed="a VPC id such as vpc-0123456789abcdef0",
        hint="the id of an existing VPC",
    ),
    Key(
        "network.subnetIds",
        "list",
        "with `existing`: at least two distinct private subnet ids",
        "subnet_ids",
        default=None,
        hint="private subnet ids",
    ),
    _int(
        "wafRateLimit",
        "requests per 5 minutes per IP; absent = no WAF",
        "waf_rate_limit",
        10,
        2_000_000_000,
        default=None,
    ),
    Key("cognito", "object", "the user pool (keys below)", "cognito"),
    _int(
        "cognito.passwordMinimumLength",
        "password length",
        "password_minimum_length",
        8,
        99,
    ),
    _bool(
        "cognito.requireLowercase",
        "password needs a lowercase letter",
        "require_lowercase",
        default=True,
    ),
    _bool(
        "cognito.requireUppercase",
        "password needs an uppercase letter",
        "require_uppercase",
        default=True,
    ),
    _bool("cognito.requireNumbers", "password needs a digit", "require_numbers", default=True),
    _bool("cognito.requireSymbols", "password needs a symbol", "require_symbols", default=False),
    _int(
        "cognito.temporaryPasswordValidityDays",
        "days an administrator-set password stays valid",
        "temporary_password_validity_days",
        1,
        365,
        default=7,
    ),
    _choice("cognito.mfa", "multi-factor authentication (TOTP)", "mfa", MFA_MODES),
    Key(
        "cognito.sesIdentityArn",
        "text",
        "with `sesFromAddress`: send Cognito's e-mail through this verified SES identity",
        "ses_identity_arn",
        default=None,
        pattern=r"arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity/[^\s]+",
        allowed="the ARN of a verified SES identity, e.g. arn:aws:ses:eu-west-1:123456789012:"
        "identity/example.com",
        prod_note="(set before going live)",
    ),
    Key(
        "cognito.sesFromAddress",
        "text",
        "with `sesIdentityArn`: the sender address; absent = Cognito's default sender",
        "ses_from_address",
        default=None,
        pattern=r"([^<>@\s]+ )*<?[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>?",
        allowed="an address of the SES identity, e.g. Chat <no-reply@example.com>",
        prod_note="(set before going live)",
    ),
    Key(
        "assistant",
        "object",
        "the AI assistant (Amazon Bedrock); absent = no assistant at all",
        "assistant",
        default=None,
    ),
    Key(
        "assistant.modelId",
        "text",
        "the Bedrock model or system-defined inference profile; IAM allows exactly it",
        "model_id",
        pattern=BEDROCK_MODEL_ID,
        allowed="a Bedrock foundation model id (anthropic.claude-3-haiku-20240307-v1:0) or a "
        "system-defined inference profile id (eu.anthropic.claude-3-haiku-20240307-v1:0)",
        hint="a Bedrock model or inference profile id",
    ),
    Key(
        "assistant.guardrailId",
        "text",
        "with `guardrailVersion`: the Bedrock guardrail every call must carry",
        "guardrail_id",
        default=None,
        pattern=r"[a-z0-9]{1,64}",
        allowed="a guardrail id",
        prod_note="(create one, then set both)",
    ),
    Key(
        "assistant.guardrailVersion",
        "text",
        "with `guardrailId`: its published version",
        "guardrail_version",
        default=None,
        pattern=r"[1-9][0-9]{0,7}|DRAFT",
        allowed="a published guardrail version number, or DRAFT",
    ),
    _int(
        "assistant.maxTokens", "most tokens one answer may use", "max_tokens", 16, 4096, default=512
    ),
    _int(
        "assistant.roomDailyTokens",
        "tokens one room may spend per UTC day",
        "room_daily_tokens",
        1000,
        100_000_000,
        default=100_000,
    ),
    _int(
        "assistant.userRequestsPerMinute",
        "questions one user may ask per minute",
        "user_requests_per_minute",
        1,
        60,
        default=5,
    ),
    Key("push", "object", "SNS mobile push (keys below); absent = no push", "push", default=None),
    Key(
        "push.platforms",
        "list",
        "platform applications to create, each at most once; their credentials are the "
        f"secret config `{PUSH_CREDENTIALS_KEY}.<platform>.{{principal,credential}}`",
        "platforms",
        default=(),
        allowed="a list of " + ", ".join(f"`{p}`" for p in PUSH_PLATFORMS),
    ),
    Key("events", "object", "the stack's event bus (keys below)", "events", default=None),
    _int(
        "events.archiveRetentionDays",
        "days the bus archive keeps every event for replay; 0 = no archive",
        "archive_retention_days",
        0,
        3650,
        default=0,
    ),
    Key(
        "uploads",
        "object",
        "the uploads bucket: attachments and avatars (keys below)",
        "uploads",
        default=None,
    ),
    _bool(
        "uploads.versioning",
        "keep replaced and deleted objects' old versions (expired after `noncurrentVersionDays`)",
        "versioning",
        default=False,
    ),
    _int(
        "uploads.noncurrentVersionDays",
        "days an old object version is kept when versioning is on",
        "noncurrent_version_days",
        1,
        365,
        default=30,
    ),
    _bool(
        "uploads.malwareScanning",
        "scan every upload with GuardDuty Malware Protection for S3; only files it tags "
        "`NO_THREATS_FOUND` become READY, any other result is REJECTED (paid per GB scanned)",
        "malware_scanning",
        default=False,
    ),
    Key(
        "uploads.corsOrigins",
        "list",
        "browser origins allowed to POST files to the bucket and GET them; none = no CORS",
        "cors_origins",
        default=(),
        allowed=f"at most {MAX_CORS_ORIGINS} origins: `https://host[:port]` (no path), or "
        "`http://localhost` / `http://127.0.0.1` with an optional port",
    ),
    Key(
        "alarmEmail",
        "text",
        "e-mail subscribed to the new alarm topic",
        "email",
        default=None,
        pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+",
        allowed="an e-mail address",
    ),
    Key(
        "alarmTopicArn",
        "text",
        "use this existing SNS topic instead (not with `alarmEmail`)",
        "topic_arn",
        default=None,
        pattern=r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}",
        allowed="the ARN of an existing SNS topic",
    ),
)

BY_PATH: dict[str, Key] = {key.path: key for key in KEYS}


def setting(path: str) -> Key:
    return BY_PATH[path]


def under(parent: str) -> tuple[Key, ...]:
    """The keys of one map setting (`search`), or the top-level keys for `""`."""
    return tuple(k for k in KEYS if k.parent == parent)
