"""Each Lambda's DynamoDB and S3 calls held to its execution role's grants, as IAM holds them.

Locally every Lambda signs with the emulator's one credential, so without this a handler
that calls what its role does not grant works offline and fails with AccessDenied after
`pulumi up`. Each worker names itself in its SDK's User-Agent (`AWS_SDK_UA_APP_ID`, which
botocore appends as `app/<name>`), and this WSGI middleware in front of moto works out the
IAM actions and resources a request needs and refuses, with the error AWS answers, what
the Lambda's `chatspec` grants (`LambdaFunction.grants`, `bucket_grants`: the same data the
stack turns into the role's policy) do not allow:

- DynamoDB: the operation's action on its table, or on the index it names; BatchGetItem and
  BatchWriteItem on every table of the batch; TransactWriteItems and TransactGetItems as
  each item's own action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem), as
  IAM authorises them ("Using IAM policies with DynamoDB transactions" in the DynamoDB guide).
- S3 objects on the uploads bucket: GetObject (GET and HEAD), PutObject, DeleteObject (each
  key of a DeleteObjects), CopyObject as GetObject on the source and PutObject on the copy,
  GetObjectTagging / PutObjectTagging; allowed when a grant's prefix holds the key.

Other services, and callers that are not Lambdas, pass unchecked; so do presigned URLs
(signed by a Lambda, sent by a client without its User-Agent). Written by hand: no library
evaluates IAM for moto's server, and moto's own IAM mode authorises most services against
the resource `*` only.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote
from xml.etree import ElementTree

from chatspec.model import BucketGrant, Grant, LambdaFunction

WsgiApp = Callable[[dict[str, Any], Callable], Iterable[bytes]]
APP_ID = re.compile(r"(?:^|\s)app/([A-Za-z0-9_-]+)")
TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


@dataclass(frozen=True)
class Need:
    """One IAM action on one resource: a table (and index), or an object key."""

    action: str
    table: str | None = None
    index: str | None = None
    key: str | None = None


def dynamodb_needs(operation: str, body: Mapping[str, Any]) -> list[Need]:
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [Need(f"dynamodb:{operation}", table) for table in body.get("RequestItems", {})]
    if operation in ("TransactWriteItems", "TransactGetItems"):
        needs = []
        for item in body.get("TransactItems", []):
            for kind, request in item.items():
                needs.append(Need(f"dynamodb:{TRANSACT_ACTIONS[kind]}", request.get("TableName")))
        return needs
    return [Need(f"dynamodb:{operation}", body.get("TableName"), body.get("IndexName"))]


def s3_needs(
    method: str, key: str, query: Mapping[str, Any], headers: Mapping[str, str], body: bytes
) -> list[Need]:
    if "tagging" in query:
        return [Need("s3:GetObjectTagging" if method == "GET" else "s3:PutObjectTagging", key=key)]
    if method == "POST" and "delete" in query:
        names = [e.text or "" for e in ElementTree.fromstring(body).iter() if e.tag.endswith("Key")]
        return [Need("s3:DeleteObject", key=name) for name in names]
    if not key:
        return [Need("s3:ListBucket")]
    if method in ("GET", "HEAD"):
        return [Need("s3:GetObject", key=key)]
    if method == "PUT":
        source = headers.get("x-amz-copy-source")
        needs = [Need("s3:PutObject", key=key)]
        if source:
            source_key = unquote(source.split("?", 1)[0]).lstrip("/").split("/", 1)[1]
            needs.append(Need("s3:GetObject", key=source_key))
        return needs
    if method == "DELETE":
        return [Need("s3:DeleteObject", key=key)]
    return [Need(f"s3:{method}", key=key)]  # no object action: never granted, so refused


def allowed(
    need: Need,
    grants: Sequence[Grant],
    bucket_grants: Sequence[BucketGrant],
    tables: Mapping[str, str],
) -> bool:
    if need.action.startswith("dynamodb:"):
        logical = tables.get(need.table or "")
        return any(
            g.table == logical and g.index == need.index and need.action in g.actions
            for g in grants
        )
    if need.key is None:
        return False
    return any(need.key.startswith(g.prefix) and need.action in g.actions for g in bucket_grants)


class LambdaGrants:
    """The middleware. `tables`: physical table name -> chatspec table name."""

    def __init__(
        self,
        app: WsgiApp,
        functions: Sequence[LambdaFunction],
        tables: Mapping[str, str],
        bucket: str,
        account: str,
        region: str,
        extra_bucket_grants: Mapping[str, Sequence[BucketGrant]] | None = None,
    ) -> None:
        self.app = app
        self.functions = {f.name: f for f in functions}
        self.tables = dict(tables)
        self.bucket = bucket
        self.account, self.region = account, region
        self.extra = dict(extra_bucket_grants or {})
        self.refused: list[tuple[str, Need]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        found = APP_ID.search(environ.get("HTTP_USER_AGENT", ""))
        spec = self.functions.get(found.group(1)) if found else None
        if spec is None:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        needs: list[Need] = []
        service = ""
        if target.startswith("DynamoDB_"):
            service = "dynamodb"
            needs = dynamodb_needs(target.split(".", 1)[1], json.loads(body or b"{}"))
        else:
            path = environ.get("PATH_INFO", "")
            bucket, _, key = path.lstrip("/").partition("/")
            if bucket == self.bucket:
                service = "s3"
                headers = {
                    k[5:].replace("_", "-").lower(): v
                    for k, v in environ.items()
                    if k.startswith("HTTP_")
                }
                query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
                needs = s3_needs(environ.get("REQUEST_METHOD", ""), key, query, headers, body)
        bucket_grants = (*spec.bucket_grants, *self.extra.get(spec.name, ()))
        for need in needs:
            if not allowed(need, spec.grants, bucket_grants, self.tables):
                self.refused.append((spec.name, need))
                return self._refuse(service, spec.name, need, start_response)
        return self.app(environ, start_response)

    def _refuse(
        self, service: str, function: str, need: Need, start_response: Callable
    ) -> Iterable[bytes]:
        role = f"arn:aws:sts::{self.account}:assumed-role/{function}/{function}"
        if service == "dynamodb":
            resource = f"arn:aws:dynamodb:{self.region}:{self.account}:table/{need.table}"
            if need.index:
                resource += f"/index/{need.index}"
            message = (
                f"User: {role} is not authorized to perform: {need.action} on resource: "
                f"{resource} because no identity-based policy allows the {need.action} action"
            )
            document = json.dumps(
                {"__type": "com.amazon.coral.service#AccessDeniedException", "Message": message}
            ).encode()
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "application/x-amz-json-1.0"),
                    ("Content-Length", str(len(document))),
                ],
            )
            return [document]
        message = (
            f"User: {role} is not authorized to perform: {need.action} on resource: "
            f"arn:aws:s3:::{self.bucket}/{need.key or ''} because no identity-based policy "
            f"allows the {need.action} action"
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
            f"<Message>{_escape(message)}</Message></Error>"
        ).encode()
        start_response(
            "403 Forbidden",
            [("Content-Type", "application/xml"), ("Content-Length", str(len(xml)))],
        )
        return [xml]


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)
