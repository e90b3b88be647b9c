"""Resolver wiring: presence and typing, the ephemeral signals.

Presence is one item per user with a TTL (`expiresAt`, 5 minutes after `lastSeen`); clients
refresh it while active. Typing events are never stored: `sendTyping` runs on the NONE data
source after the membership check, and `onTyping` fans them out to the room's members.
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, pipeline, step

FUNCTIONS: tuple[PipelineFunction, ...] = (
    step(
        "typingPublish",
        "NoneDataSource",
        (),
        "sendTyping: members who are not banned; the TypingEvent payload.",
        response="shared/result.vtl",
    ),
)

RESOLVERS: tuple[Resolver, ...] = (
    Resolver(
        type_name="Query",
        field_name="getPresence",
        kind="UNIT",
        data_source="PresenceTable",
        request="presence/Query.getPresence.request.vtl",
        response="presence/Query.getPresence.response.vtl",
        grants=(Grant("presence", ("dynamodb:BatchGetItem",)),),
    ),
    Resolver(
        type_name="Mutation",
        field_name="updatePresence",
        kind="UNIT",
        data_source="PresenceTable",
        request="presence/Mutation.updatePresence.request.vtl",
        response="presence/Mutation.updatePresence.response.vtl",
        grants=(Grant("presence", ("dynamodb:PutItem",)),),
    ),
    Resolver(
        type_name="Subscription",
        field_name="onPresenceChanged",
        kind="UNIT",
        data_source="NoneDataSource",
        request="presence/Subscription.onPresenceChanged.request.vtl",
        response="presence/Subscription.onPresenceChanged.response.vtl",
    ),
    pipeline("Mutation.sendTyping", MEMBERSHIP, "typingPublish", before=PIPELINE_BEFORE),
    pipeline(
        "Subscription.onTyping",
        MEMBERSHIP,
        after="shared/roomSubscription.response.vtl",
        before=PIPELINE_BEFORE,
    ),
)
