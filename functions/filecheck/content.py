"""Is a file what its uploader declared? Decided from its bytes, never from the claim.

`filetype` reads the magic numbers of the formats rooms allow (PNG, JPEG, GIF, WebP, PDF,
MP3, Ogg, MP4, ...). A declared binary type must be exactly the detected one. `text/*`
has no magic number: it passes when no binary signature is found and the bytes are UTF-8
without NUL. A type `filetype` does not know can never be confirmed, so it is refused
rather than trusted.
"""

from __future__ import annotations

import filetype

HEAD_BYTES = 8192
"""What the detection reads: every signature `filetype` knows lies in the first 8 KiB."""


def detected_type(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A cut in the middle of a character at the end of a partial read is not an error.
        return not complete and error.start >= len(head) - 3
    return True


def refusal(declared: str, head: bytes, *, complete: bool) -> str | None:
    """Why the bytes contradict `declared`, or None when they confirm it. `complete`:
    `head` is the whole file."""
    detected = detected_type(head)
    if declared.startswith("text/"):
        if detected is not None:
            return f"declared {declared}, but the content is {detected}"
        if not _is_text(head, complete):
            return f"declared {declared}, but the content is not UTF-8 text"
        return None
    if detected is None:
        return f"declared {declared}, but the content is of no recognised type"
    if detected != declared:
        return f"declared {declared}, but the content is {detected}"
    return None
