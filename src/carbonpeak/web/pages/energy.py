"""Energy and carbon by division, sector or enterprise, per year or month, and the intensities."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.errors import Forbidden, InvalidInput
from carbonpeak.messages import message
from carbonpeak.services.accounts import Role
from carbonpeak.services.page_views import energy_view
from carbonpeak.services.scoped import energy_carbon_for, intensities_for
from carbonpeak.services.views import LEVELS
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import language, render_page, translator
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
FREQUENCIES = ("year", "month")


@router.get("/energy", response_class=HTMLResponse)
def energy_page(
    request: Request, level: str = "division", frequency: str = "year", period: str = ""
) -> Response:
    principal = page_principal(request, "/energy")
    if level not in LEVELS or frequency not in FREQUENCIES:
        raise InvalidInput(message("error.energy.level"))
    if level == "enterprise" and principal.role is not Role.admin:
        raise Forbidden(message("error.energy.office_only"))
    current = web_state(request).snapshot()
    rows = energy_carbon_for(principal, current, level, frequency, period or None)
    intensity = intensities_for(principal, current)
    lang = language(request)
    view = energy_view(rows, intensity, level, frequency, lang, translator(lang))
    return render_page(
        request,
        "energy.html",
        principal,
        snapshot=current,
        level=level,
        frequency=frequency,
        period=period,
        intensity=intensity,
        **view,
    )
