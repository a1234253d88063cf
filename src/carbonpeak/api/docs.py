"""The API's interactive documentation (Swagger UI) served from this machine: the bundle comes
from the ``swagger-ui-bundle-v2`` package, the start-up script is a file, not inline, so the
pages keep the same Content-Security-Policy as the rest of the site."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

__all__ = ["DOCS_ASSETS", "docs_routes"]

DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
}
_INIT = b"""window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui",
    deepLinking: true, presets: [SwaggerUIBundle.presets.apis] });
});
"""
_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-init.js"></script></body></html>
"""


def _bundle_folder() -> Path:
    root = Path(str(resources.files("swagger_ui_bundle").joinpath("vendor")))
    return sorted(root.glob("swagger-ui-*"))[-1]


def docs_routes(title: str) -> list[BaseRoute]:
    """Plain routes (not API operations: no schema entry, no role check), open to anyone."""
    folder = _bundle_folder()
    files = {name: (folder / name).read_bytes() for name in DOCS_ASSETS}
    files["swagger-init.js"] = _INIT
    packed = {name: gzip.compress(body, mtime=0) for name, body in files.items()}
    version = folder.name

    def docs_page(request: Request) -> HTMLResponse:
        return HTMLResponse(_PAGE.format(title=title + " · API"))

    def docs_asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in files:
            return Response(status_code=404)
        headers = {"ETag": f'"{version}-{name}"', "Cache-Control": "public, max-age=86400"}
        if headers["ETag"] in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        media_type = DOCS_ASSETS.get(name, "text/javascript")
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(packed[name], media_type=media_type, headers=headers)
        return Response(files[name], media_type=media_type, headers=headers)

    return [Route("/docs", docs_page), Route("/docs/assets/{name}", docs_asset)]
