"""Assets served from the package (no CDN) and the language switch."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from carbonpeak.web.access import local_path
from carbonpeak.web.i18n import LANGUAGES
from carbonpeak.web.rendering import LANGUAGE_COOKIE, package_path

__all__ = ["mount_static", "router"]

router = APIRouter(include_in_schema=False)


def _plotly_js() -> Path:
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    return FileResponse(_plotly_js(), media_type="text/javascript")


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(package_path("static", "favicon.svg"), media_type="image/svg+xml")


@router.get("/lang")
def switch_language(to: str = "zh", next: str = "/") -> RedirectResponse:
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, to if to in LANGUAGES else "zh", max_age=365 * 86400, samesite="lax"
    )
    return response


def mount_static(app: FastAPI) -> None:
    """The package's static files; after ``router``, whose plotly.js the mount would shadow."""
    app.mount("/static", StaticFiles(directory=str(package_path("static"))), name="static")
