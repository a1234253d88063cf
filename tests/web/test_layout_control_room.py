"""The control room (/control-room, issue 16.3): the office's large screen reads the same numbers
as the pages it summarises, and only the office opens it."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from tests.web.conftest import WebBase, page_client

from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.control_room import AT_RISK, control_room_view
from carbonpeak.services.dashboard import snapshot
from carbonpeak.services.scenarios import REFERENCE_SCENARIO, summary_for
from carbonpeak.services.scoped import tracking_for, warnings_for
from carbonpeak.services.tasks import task_board
from carbonpeak.web.i18n import label

OFFICE = Principal("office", "office", Role.admin)


def test_the_view_model_reads_what_the_other_views_read(
    web_base: WebBase, plan_document: PlanDocument
) -> None:
    plan = plan_document.plan
    snap = snapshot(web_base.engine, plan)
    today = date(2025, 1, 20)  # after the demo's last month (2024-12) was due
    view = control_room_view(
        web_base.engine, plan, snap, OFFICE, today, lambda key: label(key, "zh")
    )
    tracking = tracking_for(OFFICE, snap)
    assert view["status_counts"] == tracking["status_counts"]
    expected = {t["id"]: t["status"] for t in tracking["targets"] if t["status"] in AT_RISK}
    assert {t["id"]: t["status"] for t in view["at_risk"]} == expected
    reference = summary_for(web_base.engine, plan, REFERENCE_SCENARIO)
    assert view["peak"]["p_peak_by_2030"] == reference["p_peak_by_2030"]
    assert view["peak"]["scenario"] == REFERENCE_SCENARIO
    warnings = {
        (w["scope"], w["kind"]): w for w in warnings_for(OFFICE, web_base.engine, plan, snap, None)
    }
    assert {(w["scope"], w["kind"]) for w in view["warnings"]} == {
        key for key, w in warnings.items() if w["level"] != "ok"
    }
    for budget in view["budgets"]:
        if budget["warning"] is None:
            assert ("base", budget["kind"]) not in warnings
            continue
        shown = warnings[("base", budget["kind"])]
        assert budget["warning"]["used_share"] == shown["used_share"]
        cumulative = next(
            trace["y"]
            for trace in budget["figure"]["data"]
            if trace["name"] == label("cumulative_use", "zh")
        )
        # The chart's last cumulative month is the warning's use so far (in 万).
        assert cumulative[-1] == pytest.approx(shown["used"] / 1e4, rel=1e-9)
        assert len(cumulative) == shown["months"]
    overdue = [
        t["task"] for t in task_board(web_base.engine, plan, today) if "overdue" in t["flags"]
    ]
    assert [t["task"] for t in view["overdue_tasks"]] == overdue
    assert view["missing_reports"]["period"] == "2024-12"


@pytest.mark.parametrize(
    ("user", "status"), [("office", 200), ("econ", 403), ("enterprise", 403), ("viewer", 403)]
)
def test_only_the_office_opens_the_control_room(web_app: FastAPI, user: str, status: int) -> None:
    client = page_client(web_app, user)
    answer = client.get("/control-room")
    assert answer.status_code == status
    if status == 200:
        for section in (
            "cr-headline",
            "cr-peak-chart",
            "cr-at-risk",
            "cr-warnings",
            "cr-overdue",
            "cr-missing",
        ):
            assert f'id="{section}"' in answer.text, section
        assert 'href="/control-room"' in answer.text  # in the office's navigation
    else:
        # The refusal inside the normal layout, with the user's own navigation (no control room).
        assert "<nav>" in answer.text and 'href="/control-room"' not in answer.text
