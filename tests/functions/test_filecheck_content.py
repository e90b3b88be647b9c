"""The file check's rules on real bytes: `filetype`'s magic numbers against the declared
type, text without a signature, and Pillow's decoding (thumbnails, broken images, bombs)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from functions.filecheck.content import refusal
from functions.filecheck.thumbnail import MAX_PIXELS, NotAnImage, thumbnail_png

PDF = b"%PDF-1.7\n%%EOF\n"


def image(kind: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, format=kind)
    return out.getvalue()


@pytest.mark.parametrize(
    ("declared", "body"),
    [
        ("image/png", image("PNG")),
        ("image/jpeg", image("JPEG")),
        ("image/gif", image("GIF")),
        ("image/webp", image("WEBP")),
        ("application/pdf", PDF),
        ("text/plain", "héllo, wörld\n".encode()),
    ],
)
def test_files_that_are_what_they_claim_pass(declared, body):
    assert refusal(declared, body, complete=True) is None


@pytest.mark.parametrize(
    ("declared", "body", "says"),
    [
        ("image/png", image("JPEG"), "the content is image/jpeg"),
        ("image/png", b"MZ\x90\x00" + b"\x00" * 60, "the content is"),
        ("application/pdf", b"just words", "no recognised type"),
        ("text/plain", PDF, "the content is application/pdf"),
        ("text/plain", b"a\x00b", "not UTF-8 text"),
        ("text/plain", b"\xff\xfe\xfa", "not UTF-8 text"),
        ("video/mp4", image("PNG"), "the content is image/png"),
    ],
)
def test_content_that_contradicts_the_claim_is_refused(declared, body, says):
    why = refusal(declared, body, complete=True)
    assert why is not None and says in why


def test_a_character_cut_by_a_partial_read_is_not_refused():
    text = ("é" * 5000).encode()
    assert refusal("text/plain", text[:8191], complete=False) is None
    assert refusal("text/plain", text[:8191], complete=True) is not None


def test_thumbnails_keep_the_aspect_within_256_pixels():
    small = Image.open(io.BytesIO(thumbnail_png(image("JPEG", (1024, 512)))))
    assert small.format == "PNG" and small.size == (256, 128)


def test_a_broken_or_huge_image_is_not_an_image():
    with pytest.raises(NotAnImage, match="cannot be decoded"):
        thumbnail_png(image("PNG")[:40])
    side = int(MAX_PIXELS**0.5) + 2  # past the limit (Pillow only warns up to twice it)
    bomb = io.BytesIO()
    Image.new("1", (side, side)).save(bomb, format="PNG")  # 1-bit: a small file, huge image
    with pytest.raises(NotAnImage, match="larger than"):
        thumbnail_png(bomb.getvalue())
