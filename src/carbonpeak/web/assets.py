"""Static files under content-hashed names: cached for a year by the browser, sent gzip-compressed
when the browser accepts it, and answered with 304 when the browser already has them.

A page names a file by ``asset_url("app.css")`` → ``/static/app.3f2a9c1d0b7e.css``; a new release
changes the hash, so a cached copy is never stale. The plain name still works (``no-cache`` with
an ETag), for links written by hand.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

__all__ = ["Asset", "AssetStore", "asset_routes", "default_assets"]

YEAR = 365 * 24 * 3600
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    name: str  # the plain name, e.g. "app.css"
    hashed: str  # e.g. "app.3f2a9c1d0b7e.css"
    media_type: str
    body: bytes
    gzipped: bytes | None  # None where compressing does not pay (images, fonts)

    @property
    def etag(self) -> str:
        return '"' + self.hashed + '"'


def _hashed_name(name: str, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()[:12]
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def _media_type(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class AssetStore:
    """Every static file the pages use, read once at start-up."""

    def __init__(self, files: Iterable[tuple[str, Path]]) -> None:
        self.by_name: dict[str, Asset] = {}
        self.by_hashed: dict[str, Asset] = {}
        for name, path in files:
            body = path.read_bytes()
            media_type = _media_type(name)
            compress = media_type.startswith(COMPRESSIBLE) and len(body) > 512
            asset = Asset(
                name,
                _hashed_name(name, body),
                media_type,
                body,
                gzip.compress(body, compresslevel=6, mtime=0) if compress else None,
            )
            self.by_name[name] = asset
            self.by_hashed[asset.hashed] = asset

    def url(self, name: str) -> str:
        """The hashed URL of a static file (the page's reference to it)."""
        return "/static/" + self.by_name[name].hashed

    def response(self, name: str, request: Request) -> Response:
        asset = self.by_hashed.get(name)
        immutable = asset is not None
        asset = asset or self.by_name.get(name)
        if asset is None:
            return Response(status_code=404)
        headers = {
            "ETag": asset.etag,
            "Cache-Control": f"public, max-age={YEAR}, immutable" if immutable else "no-cache",
            "Vary": "Accept-Encoding",
        }
        if asset.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)


def default_assets() -> AssetStore:
    """The package's static folder and plotly.js (from the plotly package: served, not copied)."""
    static = Path(str(resources.files("carbonpeak.web").joinpath("static")))
    plotly = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
    files = [(path.name, path) for path in sorted(static.iterdir()) if path.is_file()]
    return AssetStore([*files, ("plotly.min.js", plotly)])


def asset_routes(assets: AssetStore) -> list[BaseRoute]:
    """Plain routes (not API operations: no schema entry, no role check), open to anyone."""

    def static_file(request: Request) -> Response:
        return assets.response(request.path_params["name"], request)

    def favicon(request: Request) -> Response:
        return assets.response("favicon.svg", request)

    return [Route("/static/{name}", static_file), Route("/favicon.ico", favicon)]
