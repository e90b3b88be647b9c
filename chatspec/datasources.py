"""AppSync data sources. Each gets its own IAM role (see `chatspec.iam`)."""

from __future__ import annotations

from chatspec.model import DataSource

DATA_SOURCES: tuple[DataSource, ...] = (
    DataSource("RoomsTable", "AMAZON_DYNAMODB", table="rooms"),
    DataSource("RoomMembersTable", "AMAZON_DYNAMODB", table="room_members"),
    DataSource("MessagesTable", "AMAZON_DYNAMODB", table="messages"),
    DataSource("PresenceTable", "AMAZON_DYNAMODB", table="presence"),
    DataSource("IdempotencyTable", "AMAZON_DYNAMODB", table="idempotency"),
    DataSource("UsersTable", "AMAZON_DYNAMODB", table="users"),
    DataSource("UploadsTable", "AMAZON_DYNAMODB", table="uploads"),
    DataSource("JoinRequestsTable", "AMAZON_DYNAMODB", table="join_requests"),
    DataSource("PollVotesTable", "AMAZON_DYNAMODB", table="poll_votes"),
    DataSource("ModerationTable", "AMAZON_DYNAMODB", table="moderation"),
    DataSource("RoomsLambda", "AWS_LAMBDA", function="rooms"),
    DataSource("SearchLambda", "AWS_LAMBDA", function="search"),
    DataSource("DevicesLambda", "AWS_LAMBDA", function="devices"),
    DataSource("UsersLambda", "AWS_LAMBDA", function="users"),
    DataSource("UploadsLambda", "AWS_LAMBDA", function="uploads"),
    DataSource("NoneDataSource", "NONE", description="Ephemeral events and field mapping."),
)


def data_source(name: str) -> DataSource:
    for candidate in DATA_SOURCES:
        if candidate.name == name:
            return candidate
    raise KeyError(
        f"no data source {name!r} in the specification; known: {[d.name for d in DATA_SOURCES]}"
    )
