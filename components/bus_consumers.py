"""The assistant's and the toxicity checker's rules on the stack's event bus.

Why rules and not event source mappings: DynamoDB Streams allows two readers per shard, and
the messages stream has them (the indexer, the messages Pipe; `chatspec/events.py`). Each
rule's event pattern (`chatspec.events.RULES`) is what a mapping's filter criteria would
be, so messages nobody addressed to the assistant, or in rooms without moderation, cost a
pattern match and nothing else.

Per rule: the rule on the bus, its Lambda target with a bounded retry policy (the rule's
attempts and event age) and a dead-letter queue, and the permission for EventBridge to
invoke that function from that rule only. Only rules whose target this stack deploys are
created (no model in the settings: no assistant rule). The dead-letter queue is encrypted
with SQS-managed keys: EventBridge writes to a KMS-encrypted queue only if the key's policy
grants it, and the stack key's policy belongs to the encryption component.

The bus itself is the events component's (`chatspec.events.bus_name(prefix)`); the rules
name it, so they are created in the same `pulumi up`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from chatspec.events import RULES, bus_name
from components.lambda_function import ChatFunction
from components.settings import StackSettings

CONSUMERS = ("assistant", "moderation")
"""The rule targets this component wires (the notifier's rule is the events component's)."""
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600


@dataclass
class BusConsumersArgs:
    settings: StackSettings
    functions: dict[str, ChatFunction]
    event_bus_name: pulumi.Input[str] | None = None


class BusConsumers(pulumi.ComponentResource):
    rule_arns: dict[str, pulumi.Output[str]]
    dead_letter_queue_arn: pulumi.Output[str]
    dead_letter_queue_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: BusConsumersArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:events:BusConsumers", name, None, opts)
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)
        bus = args.event_bus_name or bus_name(settings.prefix)
        queue = aws.sqs.Queue(
            f"{name}-dead-letters",
            name=f"{settings.prefix}-bus-consumer-dead-letters",
            message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS,
            sqs_managed_sse_enabled=True,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.retain_on_delete,
                retain_on_delete=settings.retain_on_delete,
            ),
        )
        self.rule_arns = {}
        for rule in RULES:
            function = args.functions.get(rule.target)
            if rule.target not in CONSUMERS or function is None:
                continue
            created = aws.cloudwatch.EventRule(
                f"{name}-{rule.name}",
                name=f"{settings.prefix}-{rule.name}",
                description=rule.description,
                event_bus_name=bus,
                event_pattern=json.dumps(rule.pattern(settings.prefix)),
                tags=settings.tags,
                opts=child,
            )
            aws.cloudwatch.EventTarget(
                f"{name}-{rule.name}",
                rule=created.name,
                event_bus_name=bus,
                arn=function.arn,
                retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                    maximum_retry_attempts=rule.maximum_retry_attempts,
                    maximum_event_age_in_seconds=rule.maximum_event_age_seconds,
                ),
                dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=queue.arn),
                opts=child,
            )
            aws.lambda_.Permission(
                f"{name}-{rule.name}",
                action="lambda:InvokeFunction",
                function=function.name,
                principal="events.amazonaws.com",
                source_arn=created.arn,
                opts=child,
            )
            self.rule_arns[rule.name] = created.arn
        aws.sqs.QueuePolicy(
            f"{name}-dead-letters",
            queue_url=queue.url,
            policy=pulumi.Output.all(queue.arn, *self.rule_arns.values()).apply(
                lambda values: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "events.amazonaws.com"},
                                "Action": "sqs:SendMessage",
                                "Resource": values[0],
                                "Condition": {"ArnEquals": {"aws:SourceArn": list(values[1:])}},
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        self.dead_letter_queue_arn = queue.arn
        self.dead_letter_queue_name = queue.name
        self.register_outputs(
            {"ruleArns": self.rule_arns, "deadLetterQueueArn": self.dead_letter_queue_arn}
        )
