"""The enterprises: the list with their latest year, one enterprise's accounts, submissions,
monitoring quality and benchmarks, and the monitoring quality page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.services.accounts import Role
from carbonpeak.services.page_views import enterprise_figure, enterprises_view
from carbonpeak.services.quality import quality
from carbonpeak.services.scoped import check_enterprise
from carbonpeak.services.submission_list import submission_list
from carbonpeak.services.views import enterprise_accounts, enterprise_benchmark
from carbonpeak.web.access import page_principal
from carbonpeak.web.rendering import language, redirect, render_page, translator
from carbonpeak.web.state import web_state

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/enterprises", response_class=HTMLResponse)
def enterprises_page(request: Request) -> Response:
    principal = page_principal(request, "/enterprises")
    if principal.role is Role.enterprise:
        return redirect(f"/enterprises/{principal.enterprise}")
    current = web_state(request).snapshot()
    view = enterprises_view(current)
    return render_page(request, "enterprises.html", principal, snapshot=current, **view)


@router.get("/enterprises/{code}", response_class=HTMLResponse)
def enterprise_page(request: Request, code: str) -> Response:
    principal = page_principal(request, "/enterprises/{code}")
    check_enterprise(principal, code)
    web = web_state(request)
    current = web.snapshot()
    enterprise = current.enterprises.get(code)
    if enterprise is None:
        raise NotFound(message("error.no_enterprise", code=code))
    monthly = enterprise_accounts(current, code, "month")
    total, submissions = submission_list(web.engine(), code, limit=12)
    return render_page(
        request,
        "enterprise.html",
        principal,
        snapshot=current,
        enterprise=enterprise,
        yearly=enterprise_accounts(current, code, "year"),
        figure=enterprise_figure(monthly, translator(language(request))),
        submissions=submissions,
        submissions_total=total,
        quality=quality(web.engine(), web.store(), code),
        benchmark=sorted(
            enterprise_benchmark(current, code), key=lambda b: int(b["year"]), reverse=True
        ),
    )


@router.get("/quality", response_class=HTMLResponse)
def quality_page(request: Request, month: str = "") -> Response:
    principal = page_principal(request, "/quality")
    web = web_state(request)
    enterprise = principal.enterprise if principal.role is Role.enterprise else None
    current = web.snapshot()
    return render_page(
        request,
        "quality.html",
        principal,
        snapshot=current,
        enterprise_names={
            code: (e["name_zh"], e.get("name_en") or e["name_zh"])
            for code, e in current.enterprises.items()
        },
        rows=quality(web.engine(), web.store(), enterprise, month or None),
        meters=quality(web.engine(), web.store(), enterprise, month or None, "meter"),
    )
