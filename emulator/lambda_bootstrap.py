"""The emulator's Lambda runtime inside one worker process (what AWS's runtime client does).

Run as `python -I -S lambda_bootstrap.py <config JSON>`: isolated mode and no `site`, so
the import path is exactly the function's code, the layer, the standard library and the
runtime's own packages, in Lambda's order, and nothing from the emulator's virtualenv
leaks in. This file therefore imports only the standard library.

It imports the handler once (Lambda's init phase), then answers invocations read from
`in_fd` on `out_fd`; each frame is a 4-byte big-endian length and UTF-8 JSON. The
function's own stdout and stderr stay free for its logs. Errors are reported in the shape
the Python runtime gives: `errorType` (exception class, or `Runtime.ImportModuleError`
when the handler cannot be imported) and `errorMessage`.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback


def read_frame(fd: int) -> dict | None:
    header = _read_exactly(fd, 4)
    if header is None:
        return None
    body = _read_exactly(fd, int.from_bytes(header, "big"))
    return None if body is None else json.loads(body)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def write_frame(fd: int, message: dict) -> None:
    body = json.dumps(message).encode()
    data = len(body).to_bytes(4, "big") + body
    while data:
        data = data[os.write(fd, data) :]


class Context:
    """The Lambda context object's attributes that handlers and Powertools read."""

    def __init__(self, frame: dict) -> None:
        self.function_name = frame["functionName"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = frame["functionArn"]
        self.memory_limit_in_mb = frame["memoryMb"]
        self.aws_request_id = frame["requestId"]
        self.log_group_name = frame["logGroupName"]
        self.log_stream_name = frame["logStreamName"]
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + frame["timeoutSeconds"]

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _error(error: BaseException) -> dict:
    return {
        "errorType": type(error).__name__,
        "errorMessage": str(error),
        "stackTrace": traceback.format_exception(error)[-8:],
    }


def load_handler(name: str) -> tuple[object | None, dict | None]:
    module_name, _, function_name = name.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        return None, {
            "errorType": "Runtime.ImportModuleError",
            "errorMessage": f"Unable to import module '{module_name}': {error}",
            "stackTrace": traceback.format_exception(error)[-8:],
        }
    except SyntaxError as error:
        return None, {
            "errorType": "Runtime.UserCodeSyntaxError",
            "errorMessage": f"Syntax error in module '{module_name}': {error}",
        }
    except Exception as error:
        return None, _error(error)
    handler = getattr(module, function_name, None)
    if not callable(handler):
        return None, {
            "errorType": "Runtime.HandlerNotFound",
            "errorMessage": f"Handler '{function_name}' missing on module '{module_name}'",
        }
    return handler, None


def main() -> int:
    config = json.loads(sys.argv[1])
    stdlib = [p for p in sys.path if p]
    sys.path[:] = [*config["path"], *stdlib, *config.get("runtimePath", [])]
    in_fd, out_fd = config["inFd"], config["outFd"]
    handler, init_error = load_handler(config["handler"])
    write_frame(out_fd, {"init": "error" if init_error else "ok", "error": init_error})
    if init_error:
        return 1
    while True:
        frame = read_frame(in_fd)
        if frame is None:
            return 0
        try:
            result = handler(frame["event"], Context(frame))
            answer = {"result": result}
            try:
                json.dumps(answer)
            except (TypeError, ValueError) as error:
                answer = {
                    "error": {
                        "errorType": "Runtime.MarshalError",
                        "errorMessage": f"Unable to marshal response: {error}",
                    }
                }
        except Exception as error:
            traceback.print_exception(error)
            answer = {"error": _error(error)}
        sys.stdout.flush()
        sys.stderr.flush()
        write_frame(out_fd, answer)


if __name__ == "__main__":
    raise SystemExit(main())
