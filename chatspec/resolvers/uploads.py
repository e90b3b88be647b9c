"""Resolver wiring: uploads (createUpload, getUpload, Message.attachments, the image URLs).

| field        | who (access.may.*, decided by getCallerMembership)                      |
| ------------ | ---------------------------------------------------------------------- |
| createUpload | MESSAGE_ATTACHMENT: who may post in the room; ROOM_AVATAR: rank ADMIN   |
|              | and above; USER_AVATAR (no roomId): any signed-in user                  |
| getUpload    | any signed-in user, their own uploads only (null for anyone else's)     |

A pipeline: the access decision, then the uploads Lambda (S3 presigning is what VTL cannot
do), which reads the room's file settings from the decision's room item
(`chatspec.room_settings.effective`), writes the PENDING record and returns the presigned
POST (`functions/uploads/create_upload.py`). `Message.attachments` is batched (AppSync
`BatchInvoke`, maxBatchSize 100): a page's URLs are signed in one invocation, only under
messages a reader received (`functions/uploads/attachments.py`).

The image URLs (`UserProfile.avatarUrl`, `UserProfile.avatarThumbnailUrl`,
`Room.avatarUrl`, `Room.avatarThumbnailUrl`, `Room.bannerUrl`) are batched the same way
and read nothing: the parent carries the upload id, which only a checked write stored
(updateProfile, updateRoomSettings), so each field of a page is one invocation that signs
locally, only under profiles and rooms their parent resolver gave the caller
(`functions/uploads/images.py`). `DELETE_REPLACED` is the last step of those two writes:
it deletes the files of the images they replaced (`functions/uploads/replaced.py`).
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, lambda_step, pipeline, step
from chatspec.rules import ATTACHMENT_BATCH_SIZE, IMAGE_URL_BATCH_SIZE

DELETE_REPLACED = "uploadsDeleteReplaced"

IMAGE_URL_FIELDS = (
    "UserProfile.avatarUrl",
    "UserProfile.avatarThumbnailUrl",
    "Room.avatarUrl",
    "Room.avatarThumbnailUrl",
    "Room.bannerUrl",
)

FUNCTIONS: tuple[PipelineFunction, ...] = (
    lambda_step(
        "uploadsCreateUpload",
        "UploadsLambda",
        "createUpload: the room's file settings, the PENDING record and the presigned POST.",
    ),
    lambda_step(
        "uploadsDeleteFiles",
        "UploadsLambda",
        "deleteMessage, after the tombstone is written: the message's files, thumbnails and "
        "upload records.",
    ),
    step(
        DELETE_REPLACED,
        "UploadsLambda",
        (),
        "updateProfile / updateRoomSettings, after the write: the replaced images' files, "
        "thumbnails and records (skipped when none was replaced).",
        response=DIRECT_LAMBDA_RESPONSE,
    ),
)


def _image_url(field: str) -> Resolver:
    type_name, field_name = field.split(".")
    return Resolver(
        type_name=type_name,
        field_name=field_name,
        kind="UNIT",
        data_source="UploadsLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="A presigned GET of the image the parent names; one batch per page.",
        max_batch_size=IMAGE_URL_BATCH_SIZE,
    )


RESOLVERS: tuple[Resolver, ...] = (
    pipeline(
        "Mutation.createUpload",
        MEMBERSHIP,
        "uploadsCreateUpload",
        before=PIPELINE_BEFORE,
        description="A presigned POST for one file: members who may post, rooms that allow "
        "files; avatars for admins (room) or anyone signed in (their own).",
    ),
    Resolver(
        type_name="Query",
        field_name="getUpload",
        kind="UNIT",
        data_source="UploadsTable",
        request="uploads/Query.getUpload.request.vtl",
        response="uploads/Query.getUpload.response.vtl",
        grants=(Grant("uploads", ("dynamodb:GetItem",)),),
        description="The caller's own upload as it stands (null for anyone else's).",
    ),
    Resolver(
        type_name="Message",
        field_name="attachments",
        kind="UNIT",
        data_source="UploadsLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="The message's files with presigned GETs; one batch per page.",
        max_batch_size=ATTACHMENT_BATCH_SIZE,
    ),
    *(_image_url(field) for field in IMAGE_URL_FIELDS),
)
