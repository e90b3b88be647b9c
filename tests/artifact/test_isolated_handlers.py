"""Every handler imported and invoked from the built artifact, as the Lambda runtime would:
`python -I -S` with a path of only the function's code, the layer and the runtime's boto3.

The dev virtualenv has every package of the project; these tests prove the handlers need
none of it. A removed layer dependency and an import the layer does not declare both
fail the way Lambda fails: `Runtime.ImportModuleError` naming the module.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import boto3
import pytest

import chatspec
from artifact import ensure_built
from artifact.runtime import ensure_runtime
from chatspec import lambda_function
from chatspec.environment import function_environment
from emulator.chat_functions import chat_functions, local_aws_environment
from emulator.identity import LOCAL_REGION
from emulator.lambda_runtime import FunctionConfig, FunctionError, FunctionHandle
from emulator.opensearch import OpenSearchStandin
from emulator.tables import create_tables
from emulator.testing import shared_lambdas
from tests.functions.test_indexer_handler import stream_record
from tests.support.appsync_events import appsync_event

PREFIX = "isolated"


@pytest.fixture(scope="module")
def deployed_like():
    """The chat functions from the artifact against the shared moto server and a stand-in."""
    endpoint, service = shared_lambdas()
    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=LOCAL_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    names = create_tables(client, PREFIX)
    with OpenSearchStandin() as standin:
        yield chat_functions(
            service,
            prefix=PREFIX,
            table_names=names,
            log_level="INFO",
            aws=local_aws_environment(endpoint, "testing", "testing"),
            user_pool_id=f"{LOCAL_REGION}_isolated",
            search_endpoint=standin.url,
            uploads_bucket=f"{PREFIX}-uploads",
        )
    for name in names.values():
        client.delete_table(TableName=name)


def test_rooms_answers_from_the_artifact(deployed_like):
    answer = deployed_like["rooms"](appsync_event("Query.myRooms", {}))
    assert answer == {"data": {"items": [], "nextToken": None}}


def test_a_client_error_is_returned_not_raised(deployed_like):
    rooms = deployed_like["rooms"]
    errors_before = rooms.metrics.errors
    answer = rooms(appsync_event("Query.myRooms", {"limit": 0}))
    assert answer == {
        "error": {"type": "ValidationError", "message": "limit must be 1 to 100, got 0"}
    }
    assert rooms.metrics.errors == errors_before


def test_indexer_and_search_answer_from_the_artifact(deployed_like):
    record = stream_record(
        "100",
        "INSERT",
        {
            "roomId": "r1",
            "messageId": "01JAAAAAAAAAAAAAAAAAAAAAAA",
            "authorId": "alice",
            "content": "isolated hello",
            "type": "TEXT",
            "createdAt": "2026-11-01T00:00:00Z",
        },
    )
    assert deployed_like["indexer"]({"Records": [record]}) == {"batchItemFailures": []}
    answer = deployed_like["search"](appsync_event("Query.searchMessages", {"query": "hello"}))
    assert answer["data"]["items"] == []  # alice is a member of no room here
    assert deployed_like["search"].metrics.errors == 0


def _probe(tmp_path: Path) -> Path:
    code = tmp_path / "probe"
    (code / "probe").mkdir(parents=True)
    (code / "probe" / "__init__.py").write_text("")
    (code / "probe" / "handler.py").write_text(
        textwrap.dedent(
            """
            import importlib.util, os, sys

            def handler(event, context):
                return {
                    "path": sys.path,
                    "found": {m: importlib.util.find_spec(m) is not None for m in event["modules"]},
                    "environ": sorted(os.environ),
                }
            """
        )
    )
    return code


def _config(handler: str, environment: dict[str, str] | None = None) -> FunctionConfig:
    return FunctionConfig(
        name="isolated",
        handler=handler,
        timeout_seconds=10,
        memory_mb=128,
        environment=tuple(sorted((environment or {}).items())),
        region=LOCAL_REGION,
        account_id="123456789012",
    )


def test_the_worker_path_is_code_layer_stdlib_and_runtime_only(tmp_path):
    built, runtime = ensure_built(), ensure_runtime()
    probe = FunctionHandle(
        _config("probe.handler.handler", {"ONLY": "this"}),
        [str(_probe(tmp_path)), str(built.layer_path)],
        [str(runtime.path)],
    )
    try:
        answer = probe({"modules": ["boto3", "aws_lambda_powertools", "moto", "pytest", "yaml"]})
    finally:
        probe.stop()
    assert answer["found"] == {
        "boto3": True,
        "aws_lambda_powertools": True,
        "moto": False,
        "pytest": False,
        "yaml": False,
    }
    path = answer["path"]
    assert path[:2] == [str(tmp_path / "probe"), str(built.layer_path)]
    assert path[-1] == str(runtime.path)
    assert not [p for p in path if "site-packages" in p or ".venv" in p]
    assert "ONLY" in answer["environ"] and "PYTEST_CURRENT_TEST" not in answer["environ"]


def _handle_with(code: Path, layer: Path, runtime: Path, name: str) -> FunctionHandle:
    config = _config(f"functions.{name}.handler.handler")
    return FunctionHandle(config, [str(code), str(layer)], [str(runtime)])


def test_a_removed_layer_dependency_fails_with_its_module_name(tmp_path):
    built, runtime = ensure_built(), ensure_runtime()
    layer = tmp_path / "layer"
    shutil.copytree(built.layer_path, layer)
    shutil.rmtree(layer / "opensearchpy")
    handle = _handle_with(built.function_path("search"), layer, runtime.path, "search")
    try:
        with pytest.raises(FunctionError) as failure:
            handle(appsync_event("Query.searchMessages", {"query": "x"}))
    finally:
        handle.stop()
    assert failure.value.error_type == "Runtime.ImportModuleError"
    assert "No module named 'opensearchpy'" in failure.value.message
    assert handle.metrics.errors == 1


def test_an_undeclared_import_fails_with_its_module_name(tmp_path):
    """PyYAML is in the dev virtualenv (Pulumi needs it) but not in functions/requirements.txt."""
    built, runtime = ensure_built(), ensure_runtime()
    code = tmp_path / "code"
    shutil.copytree(built.function_path("rooms"), code)
    handler = code / "functions" / "rooms" / "handler.py"
    source = handler.read_text()
    future = "from __future__ import annotations\n"
    handler.write_text(source.replace(future, future + "import yaml\n", 1))
    shutil.rmtree(handler.parent / "__pycache__")  # the bytecode would win over the edit
    handle = _handle_with(code, built.layer_path, runtime.path, "rooms")
    try:
        with pytest.raises(FunctionError) as failure:
            handle(appsync_event("Query.myRooms", {}))
    finally:
        handle.stop()
    assert failure.value.error_type == "Runtime.ImportModuleError"
    assert "No module named 'yaml'" in failure.value.message


def test_an_unexpected_exception_is_a_function_error(tmp_path):
    """What the Errors alarm counts: a fault raises (here: a table that does not exist)."""
    endpoint, service = shared_lambdas()
    handle = service.function(
        "rooms",
        {
            **function_environment(
                lambda_function("rooms"),
                table_names={table.name: f"missing-{table.name}" for table in chatspec.TABLES},
                log_level="INFO",
                uploads_bucket="missing-uploads",
            ),
            **local_aws_environment(endpoint, "testing", "testing"),
        },
        timeout_seconds=10,
        memory_mb=128,
    )
    before = handle.metrics.errors
    with pytest.raises(FunctionError) as failure:
        handle(appsync_event("Query.myRooms", {}))
    assert failure.value.error_type == "ResourceNotFoundException"
    assert handle.metrics.errors == before + 1


def test_every_function_archive_ships_the_specification_it_may_import(tmp_path):
    """Lambdas read room settings and input rules from `chatspec`, as the templates do."""
    built, runtime = ensure_built(), ensure_runtime()
    code = tmp_path / "code"
    shutil.copytree(built.function_path("rooms"), code)
    shutil.copytree(_probe(tmp_path / "p") / "probe", code / "probe")
    (code / "probe" / "handler.py").write_text(
        "from chatspec import room_settings\n\n"
        "def handler(event, context):\n"
        "    return room_settings.effective({'type': 'GROUP', 'settings': {}})\n"
    )
    probe = FunctionHandle(
        _config("probe.handler.handler"), [str(code), str(built.layer_path)], [str(runtime.path)]
    )
    try:
        answer = probe({})
    finally:
        probe.stop()
    assert answer["allowInvites"] is True
    for name in ("rooms", "search", "indexer"):
        assert (built.function_path(name) / "chatspec" / "room_settings.py").is_file()
