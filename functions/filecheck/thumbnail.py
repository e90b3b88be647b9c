"""Thumbnails of images: a PNG of at most `THUMBNAIL_SIZE` pixels on its longer side.

Pillow decodes the image for real, so a file whose header says PNG but whose data is
broken is refused here too. Decompression bombs (small files of huge dimensions) are
refused before decoding by Pillow's own pixel limit, set lower than its default.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

THUMBNAIL_SIZE = (256, 256)
MAX_PIXELS = 50_000_000
"""About 7,000 x 7,000: larger images are refused (Pillow raises before decoding)."""


class NotAnImage(Exception):
    """The bytes do not decode as the image they claim to be."""


def thumbnail_png(data: bytes) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _thumbnail(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise NotAnImage(f"the image is larger than {MAX_PIXELS} pixels") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise NotAnImage("the image data cannot be decoded") from error


def _thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        image.thumbnail(THUMBNAIL_SIZE)
        converted = image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image
        out = io.BytesIO()
        converted.save(out, format="PNG", optimize=True)
        return out.getvalue()
