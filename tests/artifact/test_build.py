"""The build itself: exact pins, the same distributions for Lambda and for this machine,
reproducible archives, and nothing rebuilt when nothing changed."""

from __future__ import annotations

import re

import pytest

from artifact import LAMBDA, ensure_built, host
from artifact.build import code_entries
from artifact.pins import PinError, check_installed, constraint_pins, layer_pins, parse_pins
from artifact.zips import write_zip


def test_the_lambda_build_and_the_local_build_hold_the_same_distributions():
    local, deployed = ensure_built(host()), ensure_built(LAMBDA)
    assert local.distributions == deployed.distributions
    assert {"aws_lambda_powertools", "opensearch-py"} <= set(deployed.distributions)
    assert "boto3" not in deployed.distributions  # the runtime provides it


def test_both_targets_ship_byte_identical_code_archives():
    local, deployed = ensure_built(host()), ensure_built(LAMBDA)
    for name in local.manifest["functions"]:
        assert local.function_zip(name).read_bytes() == deployed.function_zip(name).read_bytes()


def test_a_code_archive_depends_on_the_content_only(tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    write_zip(first, code_entries("rooms"))
    write_zip(second, list(reversed(code_entries("rooms"))))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == ensure_built().function_zip("rooms").read_bytes()


def test_nothing_is_rebuilt_when_nothing_changed():
    built = ensure_built()
    manifest = built.manifest_path.stat().st_mtime_ns
    layer = built.layer_zip.stat().st_mtime_ns
    again = ensure_built()
    assert again.manifest_path.stat().st_mtime_ns == manifest
    assert again.layer_zip.stat().st_mtime_ns == layer


def test_every_layer_distribution_is_pinned_exactly():
    pinned = {**constraint_pins(), **layer_pins()}
    check_installed(ensure_built(LAMBDA).distributions, pinned)


def test_an_unpinned_or_repinned_distribution_fails_with_its_name():
    with pytest.raises(PinError, match=re.escape("leftpad 1.0 is installed but has no pin")):
        check_installed({"leftpad": "1.0"}, {"requests": "2.34.2"})
    with pytest.raises(
        PinError, match=re.escape("requests is 2.0 but constraints.txt pins 2.34.2")
    ):
        check_installed({"requests": "2.0"}, {"requests": "2.34.2"})


def test_a_requirement_that_is_not_an_exact_pin_is_refused():
    with pytest.raises(PinError, match="not an exact pin"):
        parse_pins("opensearch-py>=3\n", "functions/requirements.txt")
    assert parse_pins("# c\n-c x\naws-lambda-powertools[tracer]==3.37.0\n", "r") == {
        "aws-lambda-powertools": "3.37.0"
    }
