"""The layer ships exactly the pinned versions the tests ran against."""

from __future__ import annotations

import pytest

from scripts.package_lambdas import LAYER_PACKAGES, ROOT, layer_requirements


def test_layer_pins_come_from_requirements():
    pins = layer_requirements((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert [p.split("==")[0].lower() for p in pins] == list(LAYER_PACKAGES)
    assert all("==" in p and p.split("==")[1] for p in pins)


def test_a_missing_pin_stops_packaging():
    with pytest.raises(SystemExit, match="opensearch-py"):
        layer_requirements("aws-lambda-powertools==3.37.0\nrequests-aws4auth==1.4.0\n")
