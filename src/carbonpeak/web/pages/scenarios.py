"""Scenarios and the peak: one scenario's fan chart and peak-year distribution, all side by side."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.scenarios import scenario_ids
from carbonpeak.services.page_views import scenario_view
from carbonpeak.services.scenarios import compare as compare_scenarios
from carbonpeak.services.scenarios import summary_for as scenario_summary_for
from carbonpeak.services.scoped import comparison_for, scenario_for
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import language, render_page, translator
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, scenario: str = "baseline") -> Response:
    principal = page_principal(request, "/scenarios")
    names = scenario_ids()
    if scenario not in names:
        raise NotFound(message("error.no_scenario", name=scenario))
    web = web_state(request)
    lang = language(request)
    current = web.snapshot()
    summary = scenario_for(
        principal, current, scenario_summary_for(web.engine(), web.plan, scenario)
    )
    compared = compare_scenarios(web.engine(), web.plan, names)
    comparison = comparison_for(principal, current, compared)
    view = scenario_view(summary, web.plan, lang, translator(lang))
    return render_page(
        request,
        "scenarios.html",
        principal,
        snapshot=current,
        names=names,
        chosen=scenario,
        summary=summary,
        comparison=comparison,
        **view,
    )
