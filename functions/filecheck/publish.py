"""refreshAttachments, called as the stack calls its own API from a backend: an HTTPS POST
signed with SigV4 (service `appsync`) by the function's role, so onMessageUpdated reaches
the room's subscribers (AppSync publishes only what a mutation returns). The selection
carries the attachments' URLs (signed in the same batch that reads them), so a subscriber
shows a READY image without asking again; it carries no author, which subscribers already
have from the message's onMessageAdded or its page.

botocore (in the Lambda runtime) signs; urllib sends: no HTTP library to ship for it.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

REFRESH = """mutation($roomId: ID!, $messageId: ID!) {
  refreshAttachments(roomId: $roomId, messageId: $messageId) {
    roomId messageId authorId content type createdAt isEdited isDeleted pinned version
    reactions { emoji count userIds }
    attachments { attachmentId fileName contentType size status rejectedReason url thumbnailUrl }
  }
}"""
TIMEOUT_SECONDS = 10


class PublishFailed(Exception):
    """The API refused or failed the refresh: the invocation fails and S3 retries it."""


def refresh_attachments(graphql_url: str, room_id: str, message_id: str) -> dict[str, Any]:
    session = boto3.Session()
    body = json.dumps({"query": REFRESH, "variables": {"roomId": room_id, "messageId": message_id}})
    request = AWSRequest(
        method="POST", url=graphql_url, data=body, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(session.get_credentials(), "appsync", session.region_name).add_auth(request)
    prepared = urllib.request.Request(
        graphql_url, data=body.encode(), headers=dict(request.headers.items()), method="POST"
    )
    with urllib.request.urlopen(prepared, timeout=TIMEOUT_SECONDS) as response:
        answer = json.loads(response.read())
    if answer.get("errors"):
        raise PublishFailed(f"refreshAttachments failed: {answer['errors']}")
    return answer["data"]["refreshAttachments"]
