"""The reporting workflow on SQLite and PostgreSQL: idempotent, amended with reasons, reviewed,
audited, and feeding the accounting engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from carbonpeak.accounting import account, parse_activity
from carbonpeak.cli import app
from carbonpeak.demo import generate
from carbonpeak.plan import PlanDocument
from carbonpeak.services import audit
from carbonpeak.services.demo import load_demo
from carbonpeak.services.indicator_reports import (
    IndicatorReportError,
    indicator_reports,
    report_indicator,
)
from carbonpeak.services.plans import register_plan
from carbonpeak.services.submissions import (
    SubmissionError,
    accepted_activity,
    ingest,
    review,
    submit_draft,
)
from carbonpeak.storage import AuditEntryRow, SubmissionRow, upgrade
from tests.conftest import add_enterprise

TODAY = date(2026, 11, 23)


def report(quantity: str = "1200", period: str = "2026-09") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "enterprise": ["E1", "E1"],
            "facility": ["boiler", "boiler"],
            "sector": ["2614", "2614"],
            "period": [period, period],
            "item": ["bituminous_coal", "electricity"],
            "role": ["energy_input", "energy_input"],
            "quantity": [quantity, "350"],
            "unit": ["t", "MWh"],
        }
    )


@pytest.fixture
def store(engine: Engine, plan_document: PlanDocument) -> Engine:
    upgrade(engine)
    register_plan(engine, plan_document)
    add_enterprise(engine)
    return engine


def audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)


def submission_ids(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(session.scalars(select(SubmissionRow.id).order_by(SubmissionRow.id)))


def test_resubmitting_the_same_report_changes_nothing(store: Engine) -> None:
    first = ingest(store, report(), "jan.csv", "E1 clerk", today=TODAY)
    entries = audit_count(store)
    again = ingest(store, report(), "jan-again.csv", "E1 clerk", today=TODAY)
    assert (len(first.created), len(again.created), again.unchanged) == (1, 0, 1)
    assert audit_count(store) == entries
    assert len(submission_ids(store)) == 1


def test_amendment_keeps_the_earlier_value_and_feeds_accounting(store: Engine) -> None:
    ingest(store, report("1200"), "sep.csv", "E1 clerk", today=TODAY)
    [first] = submission_ids(store)
    review(store, first, accept=True, actor="office")
    amended = ingest(
        store, report("1250"), "sep-fix.csv", "E1 clerk", reason="meter re-read", today=TODAY
    )
    assert amended.amended == 1
    with Session(store) as session:
        versions = session.scalars(select(SubmissionRow).order_by(SubmissionRow.version)).all()
        assert [(v.version, v.state) for v in versions] == [(1, "accepted"), (2, "submitted")]
        assert versions[1].reason == "meter re-read"
        assert versions[1].supersedes_id == versions[0].id
        assert versions[0].rows[0].cells["quantity"] == "1200"  # the earlier value is kept
    # Until the amendment is accepted, accounting uses the accepted version.
    assert accepted_activity(store)["quantity"].tolist() == ["1200", "350"]
    with pytest.raises(SubmissionError, match="needs a note"):
        review(store, versions[1].id, accept=False, actor="office")
    review(store, versions[1].id, accept=True, actor="office")
    accepted = accepted_activity(store)
    assert accepted["quantity"].tolist() == ["1250", "350"]
    totals = account(parse_activity(accepted), "ningxia").totals("enterprise")
    assert totals["energy_gross_tce"].iloc[0] == pytest.approx(1250 * 0.7143 + 350 * 0.1229)


def test_draft_submit_return(store: Engine) -> None:
    ingest(store, report(), "draft.csv", "E1 clerk", state="draft", today=TODAY)
    [draft] = submission_ids(store)
    with pytest.raises(SubmissionError, match="only a submitted one"):
        review(store, draft, accept=True, actor="office")
    submit_draft(store, draft, "E1 clerk")
    returned = review(store, draft, accept=False, actor="office", note="missing heat")
    assert returned.state == "returned"
    assert accepted_activity(store).empty


def test_altering_an_audit_row_is_detected(
    store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(store, report(), "a.csv", "E1 clerk", today=TODAY)
    review(store, submission_ids(store)[0], accept=True, actor="office")
    count, problems = audit.verify(store)
    assert count == audit_count(store) >= 3
    assert problems == []
    with store.begin() as connection:
        payload = connection.execute(text("SELECT payload FROM audit_log WHERE seq = 2")).scalar()
        connection.execute(
            text("UPDATE audit_log SET payload = :payload WHERE seq = 2"),
            {"payload": payload.replace('"rows":2', '"rows":3')},
        )
    count, problems = audit.verify(store)
    assert [p.location for p in problems] == ["audit entry 2"]
    assert "altered" in problems[0].problem
    # The command line reports it too, and fails.
    monkeypatch.setenv(
        "CARBONPEAK_DATABASE_URL", str(store.url.render_as_string(hide_password=False))
    )
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "audit entry 2" in result.stderr


def test_indicator_report_with_evidence(
    store: Engine, plan_document: PlanDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(tmp_path / "data"))
    evidence = tmp_path / "铁路运量统计.pdf"
    evidence.write_bytes(b"%PDF-1.4 synthetic evidence")
    plan = plan_document.plan
    row = report_indicator(
        store,
        plan,
        "rail_freight_share",
        2025,
        49.5,
        "percent",
        "建设和交通局",
        "transport clerk",
        evidence,
    )
    assert row.evidence_sha256 is not None
    assert (
        tmp_path / "data" / "evidence" / row.evidence_sha256
    ).read_bytes() == evidence.read_bytes()
    with pytest.raises(IndicatorReportError, match="not responsible"):
        report_indicator(store, plan, "rail_freight_share", 2024, 45, "percent", "财政金融局", "x")
    with pytest.raises(IndicatorReportError, match="reported in percent"):
        report_indicator(store, plan, "rail_freight_share", 2024, 45, "t", "建设和交通局", "x")
    with pytest.raises(IndicatorReportError, match="needs a reason"):
        report_indicator(
            store, plan, "rail_freight_share", 2025, 50, "percent", "建设和交通局", "x"
        )
    report_indicator(
        store,
        plan,
        "rail_freight_share",
        2025,
        50,
        "percent",
        "建设和交通局",
        "x",
        reason="final statistics",
    )
    reports = indicator_reports(store)
    assert reports["value"].tolist() == [49.5, 50.0]
    assert audit.verify(store)[1] == []


def test_demo_loads_through_the_workflow_and_reloads_unchanged(
    engine: Engine, plan_document: PlanDocument
) -> None:
    upgrade(engine)
    base = generate("2020-03", plan_document.plan)
    first = load_demo(engine, base, plan_document)
    assert first["enterprises"] == len(base.enterprises)
    assert first["submissions"] == first["accepted"] > 0
    again = load_demo(engine, base, plan_document)
    assert again == {
        "readings": 0,
        "budgets": 0,
        "task_reports": 0,
        "enterprises": 0,
        "submissions": 0,
        "accepted": 0,
        "indicator_reports": 0,
    }
    accepted = accepted_activity(engine)
    assert len(accepted) == len(base.activity)
    assert audit.verify(engine)[1] == []
