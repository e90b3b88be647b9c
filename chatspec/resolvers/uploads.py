"""Resolver wiring: uploads (createUpload, Message.attachments).

| field        | who (access.may.*, decided by getCallerMembership)                      |
| ------------ | ---------------------------------------------------------------------- |
| createUpload | MESSAGE_ATTACHMENT: who may post in the room; ROOM_AVATAR: rank ADMIN   |
|              | and above; USER_AVATAR (no roomId): any signed-in user                  |

A pipeline: the access decision, then the uploads Lambda (S3 presigning is what VTL cannot
do), which reads the room's file settings from the decision's room item
(`chatspec.room_settings.effective`), writes the PENDING record and returns the presigned
POST (`functions/uploads/create_upload.py`). `Message.attachments` is batched (AppSync
`BatchInvoke`, maxBatchSize 100): a page's URLs are signed in one invocation, only under
messages a reader received (`functions/uploads/attachments.py`).
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, lambda_step, pipeline
from chatspec.rules import ATTACHMENT_BATCH_SIZE

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
        type_name="Message",
        field_name="attachments",
        kind="UNIT",
        data_source="UploadsLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="The message's files with presigned GETs; one batch per page.",
        max_batch_size=ATTACHMENT_BATCH_SIZE,
    ),
)
