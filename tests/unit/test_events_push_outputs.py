"""The events and push components under mocks: what they expose, asserted inside `apply`
(through `Mocked.expect`, which fails a test whose callback never ran)."""

from __future__ import annotations

import pulumi

import chatspec.push
from chatspec.events import PIPES, bus_name
from components.events import Events, EventsArgs
from components.push import Push, PushArgs, application_name
from tests.unit.test_component_outputs import Mocked, all_of, mocked, stand_in_tables

__all__ = ["mocked"]
CREDENTIALS = {
    "APNS": {"principal": "key-id", "credential": "apns-signing-key"},
    "APNS_SANDBOX": {"principal": "key-id", "credential": "apns-sandbox-key"},
    "FCM": {"credential": "fcm-service-account-json"},
}


def build_push(m: Mocked) -> Push:
    settings = m.settings
    tables = stand_in_tables(m, settings)
    return Push(
        "push",
        PushArgs(
            settings=settings,
            region=m.region,
            account_id=m.account_id,
            layer_arn=m.arn("lambda", f"layer:{settings.prefix}-dependencies:1"),
            table_names=tables.names,
            table_arns=tables.arns,
            credentials=CREDENTIALS,
            kms_key_arn=m.kms_key_arn(settings),
        ),
    )


@pulumi.runtime.test
def test_push_exposes_one_application_per_platform_with_secret_credentials(mocked):
    m = mocked
    push = build_push(m)
    platforms = m.settings.push.platforms
    assert platforms, "the stack lists no push platform; this test would check nothing"
    assert set(push.functions) == {"devices", "notifier"}

    def push_outputs(v: dict) -> None:
        assert set(v["arns"]) == set(platforms)
        for platform, arn in v["arns"].items():
            sns_platform = chatspec.push.PLATFORMS[platform]
            name = application_name(m.settings.prefix, platform)
            assert arn == m.arn("sns", f"app/{sns_platform}/{name}")
        assert all(v["secret"]), "a platform credential is not a Pulumi secret"
        assert v["functions"] == {n: f"{m.settings.prefix}-{n}" for n in ("devices", "notifier")}

    secret = [
        pulumi.Output.from_input(a.platform_credential.is_secret())
        for a in push.applications.values()
    ]
    return m.expect(
        all_of(
            {
                "arns": all_of(push.application_arns),
                "secret": pulumi.Output.all(*secret),
                "functions": all_of({n: f.name for n, f in push.functions.items()}),
            }
        ),
        push_outputs,
    )


@pulumi.runtime.test
def test_events_exposes_the_bus_and_its_dead_letter_queue(mocked):
    m = mocked
    settings = m.settings
    tables = stand_in_tables(m, settings)
    push = build_push(m)
    functions = dict(push.functions)
    # the enrichment is built by the API component with every other Lambda; a stand-in here
    functions["events"] = push.functions["notifier"]
    events = Events(
        "events",
        EventsArgs(
            settings=settings,
            region=m.region,
            account_id=m.account_id,
            stream_arns=tables.stream_arns,
            functions=functions,
            kms_key_arn=m.kms_key_arn(settings),
        ),
    )
    assert {p.table for p in PIPES} <= set(tables.stream_arns)

    def events_outputs(v: dict) -> None:
        assert v["name"] == bus_name(settings.prefix)
        assert v["arn"] == m.arn("events", f"event-bus/{bus_name(settings.prefix)}")
        assert v["dlq"] == m.arn("sqs", f"{settings.prefix}-events-dlq")

    return m.expect(
        all_of(
            {"name": events.bus_name, "arn": events.bus_arn, "dlq": events.dead_letter_queue.arn}
        ),
        events_outputs,
    )
