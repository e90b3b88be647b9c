"""Each component's outputs, read the Pulumi way: built alone under mocks, checked inside `apply`.

The other unit tests run the whole program and assert on recorded resource inputs. These build
one ComponentResource directly (dev and prod settings from the real `Pulumi.<stack>.yaml`),
give it plain stand-in values for what other components would hand it, and assert on the
Outputs it exposes to its consumers, inside `apply` callbacks of `@pulumi.runtime.test`
functions that return the Output, so the test waits for the check and fails with it.

An `apply` callback is skipped when its value is unknown, which would make a test pass
without checking anything. So every check goes through `Mocked.expect`, and the fixture's
teardown fails the test if a callback registered that way never ran.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings as pulumi_settings

import chatspec
from components.api import Api, ApiArgs, ApiSettings
from components.auth import Auth, AuthArgs, AuthSettings
from components.encryption import Encryption, EncryptionArgs, KeySettings
from components.network import Network, NetworkArgs, VpcSettings
from components.observability import MonitoringSettings, Observability, ObservabilityArgs
from components.search import DomainSettings, Search, SearchArgs, search_lambdas
from components.storage import Storage, StorageArgs, TableSettings
from components.uploads import BucketSettings, Uploads, UploadsArgs
from stackrun.mocks import ACCOUNT_ID, ChatMocks
from stacksettings.config_values import PROJECT
from stacksettings.settings import StackSettings, settings_from_config, stack_config

STACKS = ("dev", "prod")
# What each stack file promises about encryption; the Encryption test holds the files to it.
CUSTOMER_MANAGED_KEY = {"dev": False, "prod": True}
EXISTING_VPC = "vpc-0123456789abcdef0"
EXISTING_SUBNETS = [
    "subnet-0aaaaaaaaaaaaaaa1",
    "subnet-0bbbbbbbbbbbbbbb2",
    "subnet-0ccccccccccccccc3",
]
EXISTING_TOPIC = f"arn:aws:sns:eu-west-1:{ACCOUNT_ID}:ops-alarms"


@dataclass
class Mocked:
    """One stack under mocks: its settings, region, account and the checks still to run."""

    stack: str
    config: dict[str, Any]
    region: str
    account_id: str = ACCOUNT_ID
    pending: set[str] = field(default_factory=set)

    @property
    def settings(self) -> StackSettings:
        return self.with_config()

    def with_config(self, **overrides: Any) -> StackSettings:
        """The stack's validated settings, with `<project>:<key>` overrides (None removes)."""
        raw = dict(self.config)
        raw.update({f"{PROJECT}:{key}": value for key, value in overrides.items()})
        return settings_from_config(raw)

    def expect(self, output: pulumi.Input[Any], check: Callable[[Any], None]) -> pulumi.Output:
        """`output.apply(check)`, remembered until the callback has actually run."""
        name = check.__name__
        self.pending.add(name)

        def run(value: Any) -> None:
            self.pending.discard(name)  # it ran; a failing check fails the test by itself
            check(value)

        return pulumi.Output.from_input(output).apply(run)

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    def kms_key_arn(self, settings: StackSettings) -> str | None:
        """What the Encryption component would hand the others (None for AWS-owned keys)."""
        if not settings.customer_managed_key:
            return None
        return self.arn("kms", "key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9")


@pytest.fixture(params=STACKS)
def mocked(request: pytest.FixtureRequest) -> Iterator[Mocked]:
    stack = request.param
    config = dict(stack_config(stack))
    region = config["aws:region"]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    pulumi_settings.ROOT.set(None)
    pulumi.runtime.set_mocks(ChatMocks(region=region), project=PROJECT, stack=stack, preview=False)
    state = Mocked(stack=stack, config=config, region=region)
    yield state
    loop.close()
    asyncio.set_event_loop(None)
    assert not state.pending, f"apply callbacks that never ran: {sorted(state.pending)}"


def all_of(outputs: dict[str, pulumi.Input[Any]]) -> pulumi.Output[dict[str, Any]]:
    """A dict of Outputs as one Output of the resolved dict."""
    return pulumi.Output.all(**outputs) if outputs else pulumi.Output.from_input({})


@dataclass
class Tables:
    names: dict[str, pulumi.Output[str]]
    arns: dict[str, pulumi.Output[str]]
    stream_arns: dict[str, pulumi.Output[str]]


def stand_in_tables(m: Mocked, settings: StackSettings) -> Tables:
    """What Storage hands its consumers, as plain values."""
    names = {t.name: t.deployed_name(settings.prefix) for t in chatspec.TABLES}
    arns = {n: m.arn("dynamodb", f"table/{deployed}") for n, deployed in names.items()}
    return Tables(
        names={n: pulumi.Output.from_input(v) for n, v in names.items()},
        arns={n: pulumi.Output.from_input(v) for n, v in arns.items()},
        stream_arns={
            t.name: pulumi.Output.from_input(f"{arns[t.name]}/stream/2026-01-01T00:00:00.000")
            for t in chatspec.TABLES
            if t.stream
        },
    )


def build_search(m: Mocked, settings: StackSettings) -> Search:
    tables = stand_in_tables(m, settings)
    zones = settings.network.availability_zone_count
    return Search(
        "search",
        SearchArgs(
            settings=DomainSettings.of(settings),
            kms_key_arn=m.kms_key_arn(settings),
            subnet_ids=[pulumi.Output.from_input(s) for s in EXISTING_SUBNETS[:zones]],
            search_security_group_id="sg-0search000000000",
            lambda_security_group_id="sg-0lambdas00000000",
            layer_arn=m.arn("lambda", f"layer:{settings.prefix}-dependencies:1"),
            table_names=tables.names,
            table_arns=tables.arns,
            stream_arns=tables.stream_arns,
            account_id=m.account_id,
            region=m.region,
        ),
    )


@pulumi.runtime.test
def test_storage_exposes_every_spec_table_by_logical_name(mocked: Mocked) -> pulumi.Output:
    m, settings = mocked, mocked.settings
    storage = Storage(
        "storage",
        StorageArgs(settings=TableSettings.of(settings), kms_key_arn=m.kms_key_arn(settings)),
    )
    expected = {
        t.name: chatspec.table(t.name).deployed_name(settings.prefix) for t in chatspec.TABLES
    }
    streamed = {t.name for t in chatspec.TABLES if t.stream}
    assert streamed, "the spec has no streamed table; this test would check nothing about streams"

    def storage_outputs(v: dict[str, Any]) -> None:
        assert v["names"] == expected
        assert v["arns"] == {n: m.arn("dynamodb", f"table/{name}") for n, name in expected.items()}
        assert set(v["streams"]) == streamed
        for logical, stream in v["streams"].items():
            assert stream.startswith(f"{v['arns'][logical]}/stream/"), stream

    return m.expect(
        all_of(
            {
                "names": all_of(storage.names),
                "arns": all_of(storage.arns),
                "streams": all_of(storage.stream_arns),
            }
        ),
        storage_outputs,
    )


@pulumi.runtime.test
def test_auth_exposes_the_user_pool_and_its_app_client(mocked: Mocked) -> pulumi.Output:
    m = mocked
    auth = Auth("auth", AuthArgs(settings=AuthSettings.of(m.settings)))

    def auth_outputs(v: dict[str, str]) -> None:
        assert re.fullmatch(rf"{m.region}_[0-9A-Za-z]{{9}}", v["pool_id"]), v["pool_id"]
        assert v["pool_arn"] == m.arn("cognito-idp", f"userpool/{v['pool_id']}")
        assert re.fullmatch(r"[0-9a-z]{17,26}", v["client_id"]), v["client_id"]
        assert v["client_id"] != v["pool_id"]

    return m.expect(
        all_of(
            {
                "pool_id": auth.user_pool_id,
                "pool_arn": auth.user_pool_arn,
                "client_id": auth.client_id,
            }
        ),
        auth_outputs,
    )


@pulumi.runtime.test
def test_network_creates_one_private_subnet_per_zone(mocked: Mocked) -> pulumi.Output:
    m, settings = mocked, mocked.settings
    assert settings.network.mode == "create"
    network = Network("network", NetworkArgs(settings=VpcSettings.of(settings), region=m.region))
    zones = settings.network.availability_zone_count
    assert len(network.subnet_ids) == zones

    def created_network(v: dict[str, Any]) -> None:
        assert re.fullmatch(r"vpc-[0-9a-f]{8,17}", v["vpc"]), v["vpc"]
        assert len(set(v["subnets"])) == zones
        for subnet in v["subnets"]:
            assert re.fullmatch(r"subnet-[0-9a-f]{8,17}", subnet), subnet
        for group in (v["lambdas"], v["search"]):
            assert re.fullmatch(r"sg-[0-9a-f]{8,17}", group), group
        assert v["lambdas"] != v["search"]

    return m.expect(
        all_of(
            {
                "vpc": network.vpc_id,
                "subnets": pulumi.Output.all(*network.subnet_ids),
                "lambdas": network.lambda_security_group_id,
                "search": network.search_security_group_id,
            }
        ),
        created_network,
    )


@pulumi.runtime.test
def test_network_in_an_existing_vpc_exposes_the_given_ids(mocked: Mocked) -> pulumi.Output:
    m = mocked
    zones = m.settings.network.availability_zone_count
    settings = m.with_config(
        network={"mode": "existing", "vpcId": EXISTING_VPC, "subnetIds": EXISTING_SUBNETS[:zones]}
    )
    network = Network("network", NetworkArgs(settings=VpcSettings.of(settings), region=m.region))

    def existing_network(v: dict[str, Any]) -> None:
        assert v["vpc"] == EXISTING_VPC
        assert v["subnets"] == EXISTING_SUBNETS[:zones]
        assert re.fullmatch(r"sg-[0-9a-f]{8,17}", v["lambdas"]), v["lambdas"]

    return m.expect(
        all_of(
            {
                "vpc": network.vpc_id,
                "subnets": pulumi.Output.all(*network.subnet_ids),
                "lambdas": network.lambda_security_group_id,
            }
        ),
        existing_network,
    )


@pulumi.runtime.test
def test_search_exposes_its_domain_functions_and_failure_queues(mocked: Mocked) -> pulumi.Output:
    m, settings = mocked, mocked.settings
    search = build_search(m, settings)
    domain = f"{settings.prefix}-search"
    expected_functions = {f.name for f in search_lambdas()}
    streamed = {f.name for f in search_lambdas() if f.stream_source}
    assert set(search.functions) == expected_functions
    assert set(search.failure_queues) == streamed and streamed

    def search_outputs(v: dict[str, Any]) -> None:
        assert v["name"] == domain
        assert v["arn"] == m.arn("es", f"domain/{domain}")
        assert re.fullmatch(
            rf"vpc-{re.escape(domain)}-[0-9a-z]+\.{m.region}\.es\.amazonaws\.com", v["endpoint"]
        ), v["endpoint"]
        assert v["functions"] == {n: f"{settings.prefix}-{n}" for n in expected_functions}
        assert v["queues"] == {n: m.arn("sqs", f"{settings.prefix}-{n}-failures") for n in streamed}

    return m.expect(
        all_of(
            {
                "name": search.domain_name,
                "arn": search.domain_arn,
                "endpoint": search.endpoint,
                "functions": all_of({n: f.name for n, f in search.functions.items()}),
                "queues": all_of({n: q.arn for n, q in search.failure_queues.items()}),
            }
        ),
        search_outputs,
    )


@pulumi.runtime.test
def test_api_exposes_appsync_urls_and_every_lambda(mocked: Mocked) -> pulumi.Output:
    m, settings = mocked, mocked.settings
    tables = stand_in_tables(m, settings)
    search = build_search(m, settings)
    pool_id = f"{m.region}_AbCdEf123"
    api = Api(
        "api",
        ApiArgs(
            settings=ApiSettings.of(settings),
            region=m.region,
            account_id=m.account_id,
            user_pool_id=pool_id,
            user_pool_arn=m.arn("cognito-idp", f"userpool/{pool_id}"),
            layer_arn=m.arn("lambda", f"layer:{settings.prefix}-dependencies:1"),
            table_names=tables.names,
            table_arns=tables.arns,
            subnet_ids=[pulumi.Output.from_input(s) for s in EXISTING_SUBNETS[:2]],
            lambda_security_group_id="sg-0lambdas00000000",
            prebuilt_functions=search.functions,
            uploads_bucket_name=f"{settings.prefix}-uploads",
            uploads_bucket_arn=f"arn:aws:s3:::{settings.prefix}-uploads",
        ),
    )
    assert set(api.functions) == {f.name for f in chatspec.LAMBDAS}
    for name, function in search.functions.items():
        assert api.functions[name] is function, f"{name} was built twice"

    def api_outputs(v: dict[str, Any]) -> None:
        api_id = v["id"]
        assert re.fullmatch(r"[a-z0-9]+", api_id), api_id
        assert v["arn"] == m.arn("appsync", f"apis/{api_id}")
        assert v["graphql"] == f"https://{api_id}.appsync-api.{m.region}.amazonaws.com/graphql"
        assert (
            v["realtime"] == f"wss://{api_id}.appsync-realtime-api.{m.region}.amazonaws.com/graphql"
        )
        assert v["functions"] == {f.name: f"{settings.prefix}-{f.name}" for f in chatspec.LAMBDAS}

    return m.expect(
        all_of(
            {
                "id": api.api_id,
                "arn": api.api_arn,
                "graphql": api.graphql_url,
                "realtime": api.realtime_url,
                "functions": all_of({n: f.name for n, f in api.functions.items()}),
            }
        ),
        api_outputs,
    )


def build_observability(m: Mocked, settings: StackSettings) -> Observability:
    prefix = settings.prefix
    functions = {f.name: f"{prefix}-{f.name}" for f in chatspec.LAMBDAS}
    streamed = {f.name for f in chatspec.LAMBDAS if f.stream_source}
    return Observability(
        "observability",
        ObservabilityArgs(
            settings=MonitoringSettings.of(settings),
            kms_key_arn=m.kms_key_arn(settings),
            account_id=m.account_id,
            region=m.region,
            api_id="abcdefghijklmnopqrstuvwxyz",
            function_names={n: pulumi.Output.from_input(v) for n, v in functions.items()},
            table_names=stand_in_tables(m, settings).names,
            failure_queue_names={
                n: pulumi.Output.from_input(f"{prefix}-{n}-failures") for n in streamed
            },
            search_domain_name=f"{prefix}-search",
        ),
    )


@pulumi.runtime.test
def test_observability_exposes_its_alarm_topic_and_alarms(mocked: Mocked) -> pulumi.Output:
    m, settings = mocked, mocked.settings
    assert settings.alarms.topic_arn is None
    observability = build_observability(m, settings)

    def alarm_outputs(v: dict[str, Any]) -> None:
        assert v["topic"] == m.arn("sns", f"{settings.prefix}-alarms")
        alarms = v["alarms"]
        assert len(alarms) == len(set(alarms)) > 0
        assert all(a.startswith(f"{settings.prefix}-") for a in alarms), alarms
        assert f"{settings.prefix}-api-5xx" in alarms

    return m.expect(
        all_of(
            {
                "topic": observability.alarm_topic_arn,
                "alarms": pulumi.Output.all(*observability.alarm_names),
            }
        ),
        alarm_outputs,
    )


@pulumi.runtime.test
def test_observability_uses_an_existing_alarm_topic_as_given(mocked: Mocked) -> pulumi.Output:
    m = mocked
    settings = m.with_config(alarmEmail=None, alarmTopicArn=EXISTING_TOPIC)
    observability = build_observability(m, settings)

    def existing_topic(topic: str) -> None:
        assert topic == EXISTING_TOPIC

    return m.expect(observability.alarm_topic_arn, existing_topic)


@pulumi.runtime.test
def test_encryption_key_arn_only_with_a_customer_managed_key(mocked: Mocked) -> pulumi.Output:
    m, settings = mocked, mocked.settings
    assert settings.customer_managed_key is CUSTOMER_MANAGED_KEY[m.stack]
    encryption = Encryption(
        "encryption",
        EncryptionArgs(settings=KeySettings.of(settings), account_id=m.account_id, region=m.region),
    )
    if not settings.customer_managed_key:
        # The contract is a plain None, not an Output of None: consumers test
        # `kms_key_arn is not None` to decide whether to pass a key at all.
        assert encryption.key_arn is None

        def no_key(arn: Any) -> None:
            assert arn is None

        return m.expect(encryption.key_arn, no_key)

    assert isinstance(encryption.key_arn, pulumi.Output)

    def key_arn(arn: str) -> None:
        uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        assert re.fullmatch(rf"arn:aws:kms:{m.region}:{m.account_id}:key/{uuid}", arn), arn

    return m.expect(encryption.key_arn, key_arn)


def build_uploads(m: Mocked, name: str, scanning: bool) -> Uploads:
    uploads = dict(m.config[f"{PROJECT}:uploads"])
    settings = m.with_config(uploads={**uploads, "malwareScanning": scanning})
    return Uploads(
        name,
        UploadsArgs(
            settings=BucketSettings.of(settings),
            kms_key_arn=m.kms_key_arn(settings),
            region=m.region,
            account_id=m.account_id,
        ),
    )


@pytest.mark.parametrize("scanning", [True, False])
@pulumi.runtime.test
def test_uploads_name_their_malware_plan_only_when_scanning(
    mocked: Mocked, scanning: bool
) -> pulumi.Output:
    m = mocked
    uploads = build_uploads(m, "uploads", scanning)
    if not scanning:
        assert uploads.malware_plan_arn is None
        return m.expect(uploads.bucket_name, lambda name: None)
    assert uploads.malware_plan_arn is not None

    def plan_and_bucket(v: dict[str, Any]) -> None:
        assert v["plan"].startswith(f"arn:aws:guardduty:{m.region}:{m.account_id}:")
        assert v["bucket"] == f"{m.settings.prefix}-uploads"

    return m.expect(
        all_of(
            {
                "plan": uploads.malware_plan_arn,
                "bucket": uploads.bucket_name,
                "arn": uploads.bucket_arn,
            }
        ),
        plan_and_bucket,
    )
