"""Chat events out: the stack's EventBridge bus, one Pipe per streamed table, the rules
that deliver events to Lambdas, and (prod) an archive for replay.

Everything comes from `chatspec.events` (where the fan-out is explained): the Pipes read
the streams (at most two readers per shard, checked by `tests/contract/test_stream_readers.py`
and the CrossGuard policy `stream-readers-per-shard`), every consumer is a rule.

Least privilege, per Pipe (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-permissions.html):
its own role, assumable by pipes.amazonaws.com for this account's pipe of that name only;
stream reads on that pipe's stream only (ListStreams, which takes no resource ARN, on `*`);
InvokeFunction on the enrichment only; PutEvents on this bus only; SendMessage on the
events dead-letter queue only. Failed records go to that queue (as pointers, like the
indexer's), failed rule deliveries too (the queue policy admits this stack's rules only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from chatspec.events import ENRICHMENT_FUNCTION, PIPES, RULES, Pipe, Rule, bus_name, event_source
from components.lambda_function import ChatLambda
from stacksettings.settings import StackSettings

DLQ_RETENTION_SECONDS = 14 * 24 * 3600
STREAM_READ_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
)


@dataclass
class EventsArgs:
    settings: StackSettings
    region: pulumi.Input[str]
    account_id: pulumi.Input[str]
    stream_arns: dict[str, pulumi.Output[str]]
    functions: dict[str, ChatLambda]
    """Every chat Lambda by name (built by the API component): the enrichment and the
    rules' targets."""
    kms_key_arn: pulumi.Input[str] | None = None


def pipe_name(prefix: str, pipe: Pipe) -> str:
    return f"{prefix}-{pipe.name}"


def pipe_trust_policy(account: str, region: str, name: str) -> str:
    """pipes.amazonaws.com, for this account's pipe of this name only (confused deputy)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "pipes.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {
                            "aws:SourceAccount": account,
                            "aws:SourceArn": f"arn:aws:pipes:{region}:{account}:pipe/{name}",
                        }
                    },
                }
            ],
        }
    )


def pipe_policy(
    stream_arn: str, enrichment_arn: str, bus_arn: str, queue_arn: str, key_arn: str | None
) -> str:
    statements = [
        {"Effect": "Allow", "Action": list(STREAM_READ_ACTIONS), "Resource": stream_arn},
        {"Effect": "Allow", "Action": ["dynamodb:ListStreams"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": enrichment_arn},
        {"Effect": "Allow", "Action": ["events:PutEvents"], "Resource": bus_arn},
        {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": queue_arn},
    ]
    if key_arn:
        statements.append(
            {
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": key_arn,
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def dlq_policy(queue_arn: str, rule_arns: list[str]) -> str:
    """EventBridge may park these rules' undeliverable events in the queue, no other rule's."""
    arns = sorted(rule_arns)
    source: str | list[str] = arns[0] if len(arns) == 1 else arns
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": source}},
                }
            ],
        }
    )


class Events(pulumi.ComponentResource):
    bus_name: pulumi.Output[str]
    bus_arn: pulumi.Output[str]
    dead_letter_queue: aws.sqs.Queue
    enrichment: ChatLambda

    def __init__(
        self, name: str, args: EventsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:events:Events", name, None, opts)
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)
        bus = aws.cloudwatch.EventBus(
            f"{name}-bus",
            name=bus_name(settings.prefix),
            description=f"Chat events, source {event_source(settings.prefix)}",
            kms_key_identifier=args.kms_key_arn,
            tags=settings.tags,
            opts=child,
        )
        if settings.events.archive_retention_days:
            aws.cloudwatch.EventArchive(
                f"{name}-archive",
                name=f"{settings.prefix}-events",
                event_source_arn=bus.arn,
                retention_days=settings.events.archive_retention_days,
                description="Every chat event, for replay (StartReplay onto the bus)",
                kms_key_identifier=args.kms_key_arn,
                opts=pulumi.ResourceOptions(
                    parent=self,
                    protect=settings.retain_on_delete,
                    retain_on_delete=settings.retain_on_delete,
                ),
            )
        encrypted = args.kms_key_arn is not None
        self.dead_letter_queue = aws.sqs.Queue(
            f"{name}-dlq",
            name=f"{settings.prefix}-events-dlq",
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            kms_master_key_id=args.kms_key_arn if encrypted else None,
            sqs_managed_sse_enabled=None if encrypted else True,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            ),
        )
        self.enrichment = args.functions[ENRICHMENT_FUNCTION]
        for pipe in PIPES:
            self._pipe(name, pipe, args, bus)
        # A rule whose target the stack does not deploy (the assistant without a model in
        # the settings) is left out with its function.
        rule_arns = [
            self._rule(name, rule, args, bus) for rule in RULES if rule.target in args.functions
        ]
        aws.sqs.QueuePolicy(
            f"{name}-dlq-policy",
            queue_url=self.dead_letter_queue.url,
            policy=pulumi.Output.all(self.dead_letter_queue.arn, *rule_arns).apply(
                lambda v: dlq_policy(v[0], list(v[1:]))
            ),
            opts=child,
        )
        self.bus_name = bus.name
        self.bus_arn = bus.arn
        self.register_outputs(
            {
                "busName": self.bus_name,
                "busArn": self.bus_arn,
                "deadLetterQueueUrl": self.dead_letter_queue.url,
            }
        )

    def _pipe(self, name: str, pipe: Pipe, args: EventsArgs, bus: aws.cloudwatch.EventBus) -> None:
        settings = args.settings
        deployed = pipe_name(settings.prefix, pipe)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-{pipe.name}-role",
            description=f"Pipe {deployed}: reads its stream, enriches, puts on the bus",
            assume_role_policy=pulumi.Output.all(args.account_id, args.region).apply(
                lambda v: pipe_trust_policy(v[0], v[1], deployed)
            ),
            tags=settings.tags,
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-{pipe.name}-policy",
            role=role.id,
            policy=pulumi.Output.all(
                args.stream_arns[pipe.table],
                self.enrichment.arn,
                bus.arn,
                self.dead_letter_queue.arn,
                args.kms_key_arn,
            ).apply(lambda v: pipe_policy(*v)),
            opts=child,
        )
        aws.pipes.Pipe(
            f"{name}-{pipe.name}",
            name=deployed,
            description=pipe.description,
            role_arn=role.arn,
            source=args.stream_arns[pipe.table],
            source_parameters=aws.pipes.PipeSourceParametersArgs(
                dynamodb_stream_parameters=aws.pipes.PipeSourceParametersDynamodbStreamParametersArgs(
                    starting_position=pipe.starting_position,
                    batch_size=pipe.batch_size,
                    maximum_batching_window_in_seconds=pipe.batching_window_seconds,
                    maximum_retry_attempts=pipe.maximum_retry_attempts,
                    maximum_record_age_in_seconds=pipe.maximum_record_age_seconds,
                    on_partial_batch_item_failure="AUTOMATIC_BISECT",
                    dead_letter_config=aws.pipes.PipeSourceParametersDynamodbStreamParametersDeadLetterConfigArgs(
                        arn=self.dead_letter_queue.arn
                    ),
                ),
                filter_criteria=aws.pipes.PipeSourceParametersFilterCriteriaArgs(
                    filters=[
                        aws.pipes.PipeSourceParametersFilterCriteriaFilterArgs(
                            pattern=json.dumps(pattern)
                        )
                        for pattern in pipe.filters
                    ]
                ),
            ),
            enrichment=self.enrichment.arn,
            enrichment_parameters=aws.pipes.PipeEnrichmentParametersArgs(
                input_template=pipe.enrichment_input_template
            ),
            target=bus.arn,
            target_parameters=aws.pipes.PipeTargetParametersArgs(
                input_template=pipe.input_template,
                eventbridge_event_bus_parameters=aws.pipes.PipeTargetParametersEventbridgeEventBusParametersArgs(
                    detail_type=pipe.detail_type_path,
                    source=event_source(settings.prefix),
                ),
            ),
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )

    def _rule(
        self, name: str, rule: Rule, args: EventsArgs, bus: aws.cloudwatch.EventBus
    ) -> pulumi.Output[str]:
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)
        target = args.functions[rule.target]
        event_rule = aws.cloudwatch.EventRule(
            f"{name}-{rule.name}",
            name=f"{settings.prefix}-{rule.name}",
            description=rule.description,
            event_bus_name=bus.name,
            event_pattern=json.dumps(rule.pattern(settings.prefix)),
            tags=settings.tags,
            opts=child,
        )
        permission = aws.lambda_.Permission(
            f"{name}-{rule.name}-invoke",
            action="lambda:InvokeFunction",
            function=target.name,
            principal="events.amazonaws.com",
            source_arn=event_rule.arn,
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}-{rule.name}-target",
            rule=event_rule.name,
            event_bus_name=bus.name,
            arn=target.arn,
            retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                maximum_retry_attempts=rule.maximum_retry_attempts,
                maximum_event_age_in_seconds=rule.maximum_event_age_seconds,
            ),
            dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(
                arn=self.dead_letter_queue.arn
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
        )
        return event_rule.arn
