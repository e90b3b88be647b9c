"""Where the demo page's sources and its bundle live."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE_DIR = Path(__file__).resolve().parent / "src"
BUNDLE_DIR = REPO / "build" / "web"
BUNDLE = BUNDLE_DIR / "app.js"
