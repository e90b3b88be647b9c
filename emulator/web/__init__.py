"""The demo chat page at `/`: a browser client on Amplify JS, served by the emulator.

The page is written as a client developer would write it (`src/main.js`: `Amplify.configure`,
`signIn`, `generateClient().graphql(...)`, subscriptions) and bundled with esbuild into
`build/web/` (`python -m emulator.web.build`, run by `make local` and the tests; no bundle
is committed). At run time it reads `/amplify-config.json`, the very file the emulator
writes for every client, so the page knows nothing the README does not tell a developer.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from emulator.web.paths import BUNDLE_DIR, SOURCE_DIR

STATIC = {
    "/": (SOURCE_DIR / "index.html", "text/html; charset=utf-8"),
    "/style.css": (SOURCE_DIR / "style.css", "text/css; charset=utf-8"),
    "/app.js": (BUNDLE_DIR / "app.js", "text/javascript; charset=utf-8"),
}
NOT_BUILT = (
    "The demo page is not built: run `make web` (or `.venv/bin/python -m emulator.web.build`)"
    " and reload.\n"
)


def web_routes(amplify_config_file: Path) -> list[BaseRoute]:
    async def static(request: Request) -> Response:
        path, media_type = STATIC[request.url.path]
        if not path.exists():
            return PlainTextResponse(NOT_BUILT, status_code=503)
        return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})

    async def config(request: Request) -> Response:
        if not amplify_config_file.exists():
            return PlainTextResponse("The emulator is still starting.\n", status_code=503)
        headers = {"Cache-Control": "no-cache"}
        return FileResponse(amplify_config_file, media_type="application/json", headers=headers)

    return [
        *(Route(path, static, methods=["GET", "HEAD"]) for path in STATIC),
        Route("/amplify-config.json", config, methods=["GET", "HEAD"]),
    ]
