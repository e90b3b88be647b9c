"""Alarms to one SNS topic and one CloudWatch dashboard for the whole stack.

Each alarm watches a failure a user would notice: API errors and latency, Lambda errors
and throttles, DynamoDB throttling, a failed stream batch parked in the failure queue,
the indexer falling behind, and the search cluster going red or running out of disk.

The Lambda error alarms watch `AWS/Lambda Errors`, which counts function errors only
(LAMBDA_METRICS_DOC: an invocation that raised, timed out or failed at init). The resolver
Lambdas return a client's mistake (`functions/common/responses.py`) instead of raising it,
so a user's typo does not page anyone, while every fault still does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

import chatspec
from chatspec import assistant as assistant_spec
from stacksettings.settings import AlarmSettings, SearchSettings
from stacksettings.view import View

LAMBDA_METRICS_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html"
PERIOD_SECONDS = 300
API_LATENCY_P99_MS = 2000
ITERATOR_AGE_MS = 60_000
FREE_STORAGE_FRACTION = 0.25
ASSISTANT_MODEL_ERRORS = 5
"""Model errors in 5 minutes that page: a single throttle is answered in the room."""


@dataclass(frozen=True)
class MonitoringSettings(View):
    """The stack settings that shape alarms, their topic and the dashboard."""

    prefix: str
    tags: dict[str, str]
    alarms: AlarmSettings
    search: SearchSettings


@dataclass
class ObservabilityArgs:
    settings: MonitoringSettings
    kms_key_arn: pulumi.Input[str] | None
    account_id: pulumi.Input[str]
    region: pulumi.Input[str]
    api_id: pulumi.Input[str]
    function_names: dict[str, pulumi.Output[str]]
    """Deployed name by chatspec Lambda name; the stream-triggered ones get the age alarm."""
    table_names: dict[str, pulumi.Output[str]]
    failure_queue_names: dict[str, pulumi.Output[str]]
    search_domain_name: pulumi.Input[str]
    assistant_enabled: bool = False


class Observability(pulumi.ComponentResource):
    alarm_topic_arn: pulumi.Output[str]
    alarm_names: list[pulumi.Output[str]]

    def __init__(
        self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:observability:Observability", name, None, opts)
        settings = args.settings
        self._name = name
        self._settings = settings
        self.alarm_topic_arn = self._topic(name, args)
        self.alarm_names = []
        prefix = settings.prefix

        self._alarm(
            "api-5xx",
            "AppSync 5XX errors",
            "AWS/AppSync",
            "5XXError",
            {"GraphQLAPIId": args.api_id},
            statistic="Sum",
            threshold=1,
        )
        self._alarm(
            "api-latency",
            "AppSync p99 latency above 2 s",
            "AWS/AppSync",
            "Latency",
            {"GraphQLAPIId": args.api_id},
            extended_statistic="p99",
            threshold=API_LATENCY_P99_MS,
            periods=3,
        )
        for logical, function in sorted(args.function_names.items()):
            dims = {"FunctionName": function}
            self._alarm(
                f"{logical}-errors",
                f"Lambda {logical} errors",
                "AWS/Lambda",
                "Errors",
                dims,
                statistic="Sum",
                threshold=1,
            )
            self._alarm(
                f"{logical}-throttles",
                f"Lambda {logical} throttled",
                "AWS/Lambda",
                "Throttles",
                dims,
                statistic="Sum",
                threshold=1,
            )
        streamed = {
            logical: function
            for logical, function in args.function_names.items()
            if chatspec.lambda_function(logical).stream_source
        }
        for logical, function in sorted(streamed.items()):
            self._alarm(
                f"{logical}-iterator-age",
                f"Lambda {logical} falls behind its stream",
                "AWS/Lambda",
                "IteratorAge",
                {"FunctionName": function},
                statistic="Maximum",
                threshold=ITERATOR_AGE_MS,
                periods=3,
            )
        for logical, table in sorted(args.table_names.items()):
            for metric in ("ReadThrottleEvents", "WriteThrottleEvents"):
                self._alarm(
                    f"{logical.replace('_', '-')}-{metric}",
                    f"DynamoDB {logical} {metric}",
                    "AWS/DynamoDB",
                    metric,
                    {"TableName": table},
                    statistic="Sum",
                    threshold=1,
                )
        for logical, queue in sorted(args.failure_queue_names.items()):
            self._alarm(
                f"{logical}-failures-waiting",
                f"{logical} batches parked in the failure queue",
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                {"QueueName": queue},
                statistic="Maximum",
                threshold=1,
            )
        if args.assistant_enabled:
            # The assistant counts Bedrock errors and throttles itself (EMF, dimension
            # service): they are not function errors, since it answers them in the room.
            self._alarm(
                "assistant-model-errors",
                "The assistant's model calls fail or are throttled",
                assistant_spec.METRICS_NAMESPACE,
                assistant_spec.MODEL_ERRORS_METRIC,
                {"service": "assistant"},
                statistic="Sum",
                threshold=ASSISTANT_MODEL_ERRORS,
            )
        domain = {"DomainName": args.search_domain_name, "ClientId": args.account_id}
        self._alarm(
            "search-red",
            "OpenSearch cluster status red",
            "AWS/ES",
            "ClusterStatus.red",
            domain,
            statistic="Maximum",
            threshold=1,
        )
        free_mb = settings.search.volume_size_gb * 1024 * FREE_STORAGE_FRACTION
        self._alarm(
            "search-free-storage",
            "OpenSearch node has under 25% disk free",
            "AWS/ES",
            "FreeStorageSpace",
            domain,
            statistic="Minimum",
            threshold=free_mb,
            comparison="LessThanOrEqualToThreshold",
        )

        aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=prefix,
            dashboard_body=pulumi.Output.all(
                api_id=args.api_id,
                region=args.region,
                functions=pulumi.Output.all(**args.function_names) if args.function_names else {},
                tables=pulumi.Output.all(**args.table_names),
                queues=pulumi.Output.all(**args.failure_queue_names)
                if args.failure_queue_names
                else {},
                domain=args.search_domain_name,
                account=args.account_id,
            ).apply(lambda v: dashboard_body(**v)),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"alarmTopicArn": self.alarm_topic_arn})

    def _topic(self, name: str, args: ObservabilityArgs) -> pulumi.Output[str]:
        alarms = args.settings.alarms
        if alarms.topic_arn:
            return pulumi.Output.from_input(alarms.topic_arn)
        topic = aws.sns.Topic(
            f"{name}-alarms",
            name=f"{args.settings.prefix}-alarms",
            kms_master_key_id=args.kms_key_arn,
            tags=args.settings.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        if alarms.email:
            aws.sns.TopicSubscription(
                f"{name}-alarms-email",
                topic=topic.arn,
                protocol="email",
                endpoint=alarms.email,
                opts=pulumi.ResourceOptions(parent=self),
            )
        return topic.arn

    def _alarm(
        self,
        suffix: str,
        description: str,
        namespace: str,
        metric: str,
        dimensions: Mapping[str, pulumi.Input[str]],
        *,
        threshold: float,
        statistic: str | None = None,
        extended_statistic: str | None = None,
        periods: int = 1,
        comparison: str = "GreaterThanOrEqualToThreshold",
    ) -> None:
        alarm_name = f"{self._settings.prefix}-{suffix}"
        alarm = aws.cloudwatch.MetricAlarm(
            f"{self._name}-{suffix}",
            name=alarm_name,
            alarm_description=description,
            namespace=namespace,
            metric_name=metric,
            dimensions=dimensions,
            statistic=statistic,
            extended_statistic=extended_statistic,
            period=PERIOD_SECONDS,
            evaluation_periods=periods,
            threshold=threshold,
            comparison_operator=comparison,
            treat_missing_data="notBreaching",
            alarm_actions=[self.alarm_topic_arn],
            ok_actions=[self.alarm_topic_arn],
            tags=self._settings.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.alarm_names.append(alarm.name)


def _widget(title: str, region: str, metrics: list[list[Any]], stat: str = "Sum") -> dict:
    return {
        "type": "metric",
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": region,
            "stat": stat,
            "period": PERIOD_SECONDS,
            "metrics": metrics,
        },
    }


def dashboard_body(
    api_id: str,
    region: str,
    functions: dict[str, str],
    tables: dict[str, str],
    queues: dict[str, str],
    domain: str,
    account: str,
) -> str:
    widgets = [
        _widget(
            "API requests and errors",
            region,
            [
                ["AWS/AppSync", m, "GraphQLAPIId", api_id]
                for m in ("Requests", "4XXError", "5XXError")
            ],
        ),
        _widget(
            "API latency p99", region, [["AWS/AppSync", "Latency", "GraphQLAPIId", api_id]], "p99"
        ),
        _widget(
            "Lambda errors",
            region,
            [["AWS/Lambda", "Errors", "FunctionName", f] for f in functions.values()],
        ),
        _widget(
            "Lambda duration p99",
            region,
            [["AWS/Lambda", "Duration", "FunctionName", f] for f in functions.values()],
            "p99",
        ),
        _widget(
            "Lambda iterator age",
            region,
            [["AWS/Lambda", "IteratorAge", "FunctionName", f] for f in functions.values()],
            "Maximum",
        ),
        _widget(
            "DynamoDB throttling",
            region,
            [
                ["AWS/DynamoDB", m, "TableName", t]
                for t in tables.values()
                for m in ("ReadThrottleEvents", "WriteThrottleEvents")
            ],
        ),
        _widget(
            "Failure queues",
            region,
            [
                ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q]
                for q in queues.values()
            ],
            "Maximum",
        ),
        _widget(
            "Search cluster",
            region,
            [
                ["AWS/ES", m, "DomainName", domain, "ClientId", account]
                for m in ("ClusterStatus.red", "ClusterStatus.yellow", "FreeStorageSpace")
            ],
            "Maximum",
        ),
    ]
    return json.dumps({"widgets": [w for w in widgets if w["properties"]["metrics"]]})
