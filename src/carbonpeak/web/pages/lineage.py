"""Where a number comes from (services/lineage.py), as the caller may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.services.lineage import LineageSelection
from carbonpeak.services.scoped import lineage_for
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import render_page
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/lineage", response_class=HTMLResponse)
def lineage_page(request: Request, selection: Annotated[LineageSelection, Depends()]) -> Response:
    principal = page_principal(request, "/lineage")
    current = web_state(request).snapshot()
    view = lineage_for(principal, current, **selection.fields())  # NotFound: the 404 page
    named = current.enterprises.get(view.get("enterprise") or "")
    return render_page(
        request,
        "lineage.html",
        principal,
        snapshot=current,
        view=view,
        enterprise_name=(named["name_zh"], named.get("name_en") or named["name_zh"])
        if named
        else None,
    )
