"""Settings of the test processes themselves (each pytest-xdist worker loads this file)."""

from __future__ import annotations

from emulator import gc_tuning

gc_tuning.tune()
