"""The OpenSearch stand-in's public entry point: `url, stop = start_standin()`.

See `emulator.opensearch` for the subset it serves and how it scores.
"""

from emulator.opensearch import OpenSearchStandin, start_standin

__all__ = ["OpenSearchStandin", "start_standin"]
