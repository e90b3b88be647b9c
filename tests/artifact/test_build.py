"""The build itself: exact pins, the same distributions for Lambda and for this machine,
reproducible archives, and nothing rebuilt when nothing changed."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from artifact import LAMBDA, Artifact, build, bytecode, ensure_built, host
from artifact.build import code_entries
from artifact.pins import PinError, check_installed, constraint_pins, layer_pins, parse_pins
from artifact.targets import LAMBDA_RUNTIME
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
    """Built again elsewhere, bytecode included, the archive has the same bytes: Pulumi
    replaces a function only when its code really changed."""
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    write_zip(first, code_entries("rooms"))
    write_zip(second, list(reversed(code_entries("rooms"))))
    assert first.read_bytes() == second.read_bytes()
    elsewhere = Artifact(LAMBDA, tmp_path / "elsewhere")
    build._build_function(elsewhere, "rooms", "key")
    assert (
        elsewhere.function_zip("rooms").read_bytes()
        == ensure_built(LAMBDA).function_zip("rooms").read_bytes()
    )


def test_the_lambda_runtime_is_the_python_the_tests_run():
    """What ships is what is tested: the handlers are imported and invoked by this
    interpreter, so Lambda runs the same Python version (and reads the bytecode it wrote)."""
    assert LAMBDA.python_version == host().python_version == bytecode.builder_version()
    assert f"python{LAMBDA.python_version}" == LAMBDA_RUNTIME


def _archive_names(path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


def test_every_shipped_module_has_the_bytecode_the_runtime_reads():
    deployed = ensure_built(LAMBDA)
    tag = sys.implementation.cache_tag
    for archive in [deployed.layer_zip] + [
        deployed.function_zip(n) for n in deployed.manifest["functions"]
    ]:
        names = _archive_names(archive)
        sources = {n for n in names if n.endswith(".py")}
        missing = [n for n in sources if importlib.util.cache_from_source(n) not in names]
        assert sources and not missing, (archive.name, missing[:5])
        assert all(f".{tag}.pyc" in n for n in names if n.endswith(".pyc"))


def test_the_bytecode_is_unchecked_and_names_the_deployed_paths(tmp_path):
    """An unchecked hash-based pyc is used without looking at the source's mtime (zip
    extraction keeps none Python could trust): a handler whose source is broken after the
    build still imports, from its bytecode."""
    code = tmp_path / "code"
    shutil.copytree(ensure_built().function_path("rooms"), code)
    handler = code / "functions" / "rooms" / "handler.py"
    handler.write_text(handler.read_text() + "\nthis is not python\n")
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import functions.rooms.handler as h; print(h.__spec__.cached)"
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(code)], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().endswith(f"handler.{sys.implementation.cache_tag}.pyc")


def test_nothing_is_rebuilt_when_nothing_changed():
    built = ensure_built()
    manifest = built.manifest_path.stat().st_mtime_ns
    layer = built.layer_zip.stat().st_mtime_ns
    again = ensure_built()
    assert again.manifest_path.stat().st_mtime_ns == manifest
    assert again.layer_zip.stat().st_mtime_ns == layer


def test_a_source_edited_after_a_fresh_check_is_rebuilt(tmp_path, monkeypatch):
    """A process remembers that the artifact was fresh by the files' sizes and times alone
    (`build._stamp`); an edit made afterwards must still rebuild its archive."""
    built = ensure_built()
    skip = shutil.ignore_patterns("__pycache__")
    sources = tmp_path / "sources"
    shutil.copytree(build.FUNCTIONS_DIR, sources / "functions", ignore=skip)
    shutil.copytree(build.CHATSPEC_DIR, sources / "chatspec", ignore=skip)
    monkeypatch.setattr(build, "FUNCTIONS_DIR", sources / "functions")
    monkeypatch.setattr(build, "CHATSPEC_DIR", sources / "chatspec")
    root = tmp_path / "build"
    shutil.copytree(built.root, root / built.target.name, symlinks=True)
    key = ensure_built(root=root).manifest["functions"]["rooms"]["key"]
    assert ensure_built(root=root).manifest["functions"]["rooms"]["key"] == key
    handler = sources / "functions" / "rooms" / "handler.py"
    handler.write_text(handler.read_text() + "\n# edited\n")
    rebuilt = ensure_built(root=root)
    assert rebuilt.manifest["functions"]["rooms"]["key"] != key
    with zipfile.ZipFile(rebuilt.function_zip("rooms")) as archive:
        assert archive.read("functions/rooms/handler.py").endswith(b"# edited\n")


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
