"""The uploads Lambda: createUpload (the step after the access decision), the batched
Message.attachments and image URL field resolvers, and the last steps that delete files
(deleteMessage, and updateProfile / updateRoomSettings for the images they replaced).

Thin on purpose: the caller and the decision come from the event, the rules from
`functions.uploads.create_upload`, `attachments`, `images`, `delete_files` and `replaced`;
a list event is a BatchInvoke, answered with one result per item in order. A client's
mistake is returned in the `appsync_response` shape (not a function error); anything else
raises.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config

from functions.common.access import require_access
from functions.common.actions import register_actions
from functions.common.identity import caller_from_identity, current_event
from functions.common.responses import appsync_response
from functions.common.uploads import ENV_VARS, Store, store_from_env
from functions.uploads.attachments import resolve_batch
from functions.uploads.create_upload import create_upload
from functions.uploads.delete_files import delete_files
from functions.uploads.images import IMAGES
from functions.uploads.images import resolve_batch as image_urls
from functions.uploads.replaced import delete_replaced_avatar, delete_replaced_room_images

logger = Logger(service="uploads")
app = AppSyncResolver()


def store() -> Store:
    """Built once per set of names, so the emulator may run several APIs around one module."""
    return _store_named(tuple(os.environ.get(v, "") for v in ENV_VARS))


@cache
def _store_named(_names: tuple[str, ...]) -> Store:
    s3 = boto3.client("s3", config=Config(signature_version="s3v4"))
    return store_from_env(boto3.resource("dynamodb"), s3)


def create_upload_action(input: dict) -> dict:
    event = current_event(app).raw_event
    caller = caller_from_identity(event.get("identity"))
    return create_upload(store(), caller, {"input": input}, require_access(event))


def delete_message_action(roomId: str, messageId: str) -> Any:
    event = current_event(app).raw_event
    tombstone = ((event.get("prev") or {}).get("result")) or None
    return delete_files(store(), require_access(event), tombstone)


def attachments_action(event: list[AppSyncResolverEvent]) -> list:
    return resolve_batch(store(), [e.source for e in event])


def _image_action(field: str) -> Callable[[list[AppSyncResolverEvent]], list]:
    def image_action(event: list[AppSyncResolverEvent]) -> list:
        return image_urls(store(), field, [e.source for e in event])

    return image_action


def _released_and_result() -> tuple[dict[str, Any], Any, Any]:
    event = current_event(app).raw_event
    released = ((event.get("stash") or {}).get("releasedUploads")) or []
    return event, released, (event.get("prev") or {}).get("result")


def update_profile_action(input: dict) -> Any:
    event, released, result = _released_and_result()
    caller = caller_from_identity(event.get("identity"))
    return delete_replaced_avatar(store(), caller, released, result)


def update_room_settings_action(roomId: str, input: dict) -> Any:
    event, released, result = _released_and_result()
    return delete_replaced_room_images(store(), require_access(event), released, result)


ACTIONS: dict[str, Callable[..., Any]] = {
    "Mutation.createUpload": create_upload_action,
    "Message.attachments": attachments_action,
    "Mutation.deleteMessage": delete_message_action,
    "UserProfile.avatarUrl": _image_action("UserProfile.avatarUrl"),
    "UserProfile.avatarThumbnailUrl": _image_action("UserProfile.avatarThumbnailUrl"),
    "Room.avatarUrl": _image_action("Room.avatarUrl"),
    "Room.avatarThumbnailUrl": _image_action("Room.avatarThumbnailUrl"),
    "Room.bannerUrl": _image_action("Room.bannerUrl"),
    "Mutation.updateProfile": update_profile_action,
    "Mutation.updateRoomSettings": update_room_settings_action,
}
BATCH_ACTIONS = frozenset({"Message.attachments", *IMAGES})
"""Fields whose resolver has a maxBatchSize: their event is the list of a BatchInvoke."""

register_actions(app, {k: a for k, a in ACTIONS.items() if k not in BATCH_ACTIONS})
for _key in sorted(BATCH_ACTIONS):
    _type_name, _field_name = _key.split(".")
    app.batch_resolver(type_name=_type_name, field_name=_field_name, aggregate=True)(ACTIONS[_key])


@logger.inject_lambda_context
def handler(event: Any, context: LambdaContext) -> Any:
    if isinstance(event, list):
        return app.resolve(event, context)
    return appsync_response(lambda: app.resolve(event, context))
