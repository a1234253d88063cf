"""Task progress reports and the board's flags."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from carbonpeak.plan import PlanDocument
from carbonpeak.services.plans import register_plan
from carbonpeak.services.tasks import TaskProgressError, report_task_progress, task_board
from carbonpeak.storage import upgrade

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(engine: Engine, plan_document: PlanDocument) -> Engine:
    upgrade(engine)
    register_plan(engine, plan_document)
    return engine


def test_report_and_flags(
    store: Engine, plan_document: PlanDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(tmp_path))
    plan = plan_document.plan
    evidence = tmp_path / "纪要.pdf"
    evidence.write_bytes(b"%PDF synthetic minutes")
    report_task_progress(
        store,
        plan,
        "三(一)1",
        "经济发展局",
        date(2026, 10, 31),
        60,
        "光伏项目并网 PV connected",
        "clerk",
        "第二批并网",
        date(2026, 12, 31),
        evidence,
    )
    report_task_progress(
        store,
        plan,
        "三(一)2",
        "自然资源局",
        date(2026, 3, 31),
        30,
        "用地预审 land pre-review",
        "clerk",
    )  # a participant may report
    report_task_progress(
        store,
        plan,
        "三(一)3",
        "经济发展局",
        date(2026, 10, 1),
        40,
        "煤电改造 retrofits",
        "clerk",
        "改造完成",
        date(2026, 9, 30),
    )
    board = {row["task"]: row for row in task_board(store, plan, TODAY)}
    assert board["三(一)1"]["flags"] == []
    assert board["三(一)1"]["evidence_sha256"] is not None
    assert board["三(一)2"]["flags"] == ["stalled"]  # last report over a quarter ago
    assert board["三(一)3"]["flags"] == ["overdue"]  # milestone passed below 100 %
    assert board["三(一)4"]["flags"] == ["no_report"]
    mine = task_board(store, plan, TODAY, "科技和信息化局")
    assert {row["task"] for row in mine} >= {"三(二)4", "三(八)1"}


def test_only_responsible_units_report(store: Engine, plan_document: PlanDocument) -> None:
    plan = plan_document.plan
    with pytest.raises(TaskProgressError, match="not responsible"):
        report_task_progress(store, plan, "三(二)4", "财政金融局", TODAY, 10, "x", "clerk")
    with pytest.raises(TaskProgressError, match="0-100"):
        report_task_progress(store, plan, "三(二)4", "科技和信息化局", TODAY, 120, "x", "clerk")
    with pytest.raises(TaskProgressError, match="no task"):
        report_task_progress(store, plan, "三(十一)1", "经济发展局", TODAY, 10, "x", "clerk")


def test_a_co_responsible_report_never_overwrites_the_lead(
    store: Engine, plan_document: PlanDocument
) -> None:
    plan = plan_document.plan
    # 三(一)1: 经济发展局 leads, 自然资源局 is co-responsible.
    report_task_progress(
        store,
        plan,
        "三(一)1",
        "经济发展局",
        date(2026, 9, 1),
        60,
        "lead part",
        "clerk",
        "第二批并网",
        date(2026, 12, 31),
    )
    report_task_progress(
        store,
        plan,
        "三(一)1",
        "自然资源局",
        date(2026, 10, 1),
        10,
        "land part",
        "clerk",
        "用地预审",
        date(2026, 10, 15),
    )
    row = next(r for r in task_board(store, plan, TODAY) if r["task"] == "三(一)1")
    assert row["percent_complete"] == 60  # the lead's, not the later co-responsible report
    assert row["next_milestone"] == "第二批并网" and row["milestone_due"] == "2026-12-31"
    assert row["lead_reported"] is True
    parts = {p["unit"]: p for p in row["parts"]}
    assert parts["自然资源局"]["percent_complete"] == 10 and not parts["自然资源局"]["lead"]
    assert parts["经济发展局"]["lead"]
    assert "overdue" in row["flags"]  # the co-responsible unit's own milestone has passed


def test_the_board_of_a_past_date_ignores_later_reports(
    store: Engine, plan_document: PlanDocument
) -> None:
    plan = plan_document.plan
    report_task_progress(store, plan, "三(一)4", "经济发展局", date(2024, 11, 1), 30, "a", "clerk")
    report_task_progress(store, plan, "三(一)4", "经济发展局", date(2026, 2, 1), 90, "b", "clerk")
    then = next(r for r in task_board(store, plan, date(2025, 3, 31)) if r["task"] == "三(一)4")
    now = next(r for r in task_board(store, plan, TODAY) if r["task"] == "三(一)4")
    assert then["percent_complete"] == 30 and now["percent_complete"] == 90


def test_no_report_dated_in_the_future(store: Engine, plan_document: PlanDocument) -> None:
    with pytest.raises(TaskProgressError, match="future"):
        report_task_progress(
            store, plan_document.plan, "三(一)4", "经济发展局", date(2999, 1, 1), 30, "a", "clerk"
        )
