"""Assets served from the package (no CDN) under content-hashed names (web/assets.py), and the
language switch. Templates name a file by ``asset_url("app.css")``."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from carbonpeak.web.access import local_path
from carbonpeak.web.assets import asset_routes, default_assets
from carbonpeak.web.i18n import LANGUAGES
from carbonpeak.web.rendering import LANGUAGE_COOKIE, templates

__all__ = ["ASSETS", "router"]

router = APIRouter(include_in_schema=False)
ASSETS = default_assets()
templates.env.globals["asset_url"] = ASSETS.url
# /static/<hashed or plain name> and /favicon.ico: plain routes, open to anyone.
router.routes.extend(asset_routes(ASSETS))


@router.get("/lang")
def switch_language(to: str = "zh", next: str = "/") -> RedirectResponse:
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, to if to in LANGUAGES else "zh", max_age=365 * 86400, samesite="lax"
    )
    return response
