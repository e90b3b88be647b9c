"""What a READY upload serves is the check's copy of the bytes it checked, against moto:
a presigned POST stays valid for minutes after the check, and whatever its holder POSTs
to the upload's key afterwards, or while the check runs, is never served."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from functions.common.uploads import checked_key, object_key, thumbnail_key
from functions.filecheck import check
from functions.uploads.attachments import attachment_view
from functions.uploads.images import image_url
from tests.functions.filecheck_world import BUCKET, PDF, World, aws_environment


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    for _ in aws_environment(monkeypatch):
        yield World(scanning=False)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_ready_file_is_served_from_the_checked_copy_with_the_declared_type(world):
    world.upload("u", messageId="m-1")
    assert world.check("u").status == "READY"
    assert world.served("u") == PDF
    head = world.s3.head_object(Bucket=BUCKET, Key=checked_key("u"))
    assert head["ContentType"] == "application/pdf"
    assert not world.exists(object_key("u")), "the POSTed object goes once the copy is kept"
    view = attachment_view(
        world.store,
        {"attachmentId": "u", "status": "READY", "contentType": "application/pdf", "size": 1},
    )
    assert f"/{checked_key('u')}?" in view["url"]
    assert f"/{checked_key('u')}?" in str(image_url(world.store, "u", thumbnail=False))


def test_a_file_posted_again_after_the_check_is_deleted_and_never_served(world):
    world.upload("u", messageId="m-1")
    assert world.check("u").status == "READY"
    other = b"<html><script>alert(1)</script>" + b" " * (len(PDF) - 32)
    world.s3.put_object(Bucket=BUCKET, Key=object_key("u"), Body=other)  # the same form again
    outcome = world.check("u")
    assert (outcome.status, outcome.reason) == (
        "READY",
        "checked before: a file POSTed after it is deleted",
    )
    assert not world.exists(object_key("u"))
    assert world.served("u") == PDF
    assert world.refreshed == [("room-1", "m-1")], "the message did not change"


def test_a_file_replaced_while_it_is_checked_is_not_copied(world):
    world.upload("u")
    other = b"MZ" + b"\x00" * (len(PDF) - 2)

    def replace(**_: Any) -> None:
        world.s3.put_object(Bucket=BUCKET, Key=object_key("u"), Body=other)

    # After the check read the file and found it a PDF, before it copies what it read.
    world.s3.meta.events.register("after-call.s3.GetObject", replace)
    outcome = world.check("u")
    world.s3.meta.events.unregister("after-call.s3.GetObject", replace)
    assert (outcome.status, outcome.reason) == ("PENDING", "the file was replaced during its check")
    assert not world.exists(checked_key("u"))
    assert world.record("u")["status"] == "PENDING"
    # The replacement's own notification then checks the file that is there now.
    assert world.check("u").status == "REJECTED"
    assert not world.exists(checked_key("u")) and not world.exists(object_key("u"))


def test_an_image_replaced_while_it_is_checked_gets_no_thumbnail_either(world):
    image = _png()
    world.upload("u", body=image, contentType="image/png")

    def replace(**_: Any) -> None:
        world.s3.put_object(Bucket=BUCKET, Key=object_key("u"), Body=b"x" * len(image))

    world.s3.meta.events.register("after-call.s3.GetObject", replace)
    outcome = world.check("u")
    world.s3.meta.events.unregister("after-call.s3.GetObject", replace)
    assert outcome.status == "PENDING"
    assert not world.exists(checked_key("u")) and not world.exists(thumbnail_key("u"))


def test_a_rejected_file_leaves_no_copy(world):
    world.upload("u", body=b"MZ\x90\x00" + b"\x00" * 60)
    assert world.check("u").status == "REJECTED"
    assert not world.exists(checked_key("u")) and not world.exists(object_key("u"))


def test_a_copy_made_by_a_delivery_that_lost_to_a_rejection_is_removed(world, monkeypatch):
    image = _png()
    world.upload("u", body=image, contentType="image/png")
    real = check.record_verdict

    def another_delivery_rejected_first(store, upload_id, reason, thumbnail):
        world.uploads.update_item(
            Key={"uploadId": upload_id},
            UpdateExpression="SET #s = :r",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":r": "REJECTED"},
        )
        return real(store, upload_id, reason, thumbnail)

    monkeypatch.setattr(check, "record_verdict", another_delivery_rejected_first)
    outcome = world.check("u")
    assert outcome.status == "SKIPPED"
    assert not world.exists(checked_key("u")) and not world.exists(thumbnail_key("u"))


def test_a_copy_made_by_a_delivery_that_lost_to_a_ready_verdict_stays(world, monkeypatch):
    world.upload("u")
    real = check.record_verdict

    def another_delivery_passed_first(store, upload_id, reason, thumbnail):
        real(store, upload_id, reason, thumbnail)
        return real(store, upload_id, reason, thumbnail)

    monkeypatch.setattr(check, "record_verdict", another_delivery_passed_first)
    assert world.check("u").status == "SKIPPED"
    assert world.served("u") == PDF


class _DeliveredMeanwhile:
    """S3 as the check's role sees it after another delivery finished the check: the POSTed
    object gone, and HeadObject 403 (the role has no s3:ListBucket), not 404."""

    def __init__(self, world: World) -> None:
        self._world = world

    def __getattr__(self, name: str) -> Any:
        return getattr(self._world.s3, name)

    def head_object(self, **_: Any) -> Any:
        from botocore.exceptions import ClientError

        self._world.uploads.update_item(
            Key={"uploadId": "u"},
            UpdateExpression="SET #s = :r",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":r": "READY"},
        )
        raise ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadObject")


def test_a_delivery_that_finds_the_object_gone_after_another_checked_it_ends_quietly(world):
    world.upload("u")
    store = dataclasses.replace(world.store, s3=_DeliveredMeanwhile(world))
    outcome = check.check_object(store, object_key("u"), world.refresh)
    assert (outcome.status, outcome.reason) == ("READY", "checked by another delivery meanwhile")


def test_a_403_on_a_pending_upload_is_raised_not_taken_for_a_missing_file(world):
    from botocore.exceptions import ClientError

    class Refusing(_DeliveredMeanwhile):
        def head_object(self, **_: Any) -> Any:
            raise ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadObject")

    world.upload("u")
    store = dataclasses.replace(world.store, s3=Refusing(world))
    with pytest.raises(ClientError):
        check.check_object(store, object_key("u"), world.refresh)
    assert world.record("u")["status"] == "PENDING"
