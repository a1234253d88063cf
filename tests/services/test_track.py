"""carbonpeak track on a demo store: every target gets a status with the numbers behind it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from carbonpeak.cli import app
from carbonpeak.plan import PlanDocument
from carbonpeak.services.indicators import indicator_values, track
from carbonpeak.tracking import Status
from tests.conftest import BACKENDS, DemoStores

STATUSES = {s.value for s in Status}


@pytest.fixture(params=BACKENDS)
def demo_store(request: pytest.FixtureRequest, demo_stores: DemoStores) -> Engine:
    """The demo base to 2022-12, loaded once per database kind: these tests only read it."""
    return demo_stores.shared(request, request.param, "2022-12")


def test_every_target_has_a_status_and_its_numbers(
    demo_store: Engine, plan_document: PlanDocument
) -> None:
    rows = track(demo_store, plan_document.plan)
    assert len(rows) == len(plan_document.plan.targets) == 40
    assert {r["status"] for r in rows} <= STATUSES
    assessed = [r for r in rows if r["status"] != "not_assessable"]
    assert len(assessed) >= 30
    for row in assessed:
        assert row["series"], row["id"]
        assert row["sources"], row["id"]
        assert row["reasoning"]
        assert row["latest_year"] == 2022
    intensity = next(r for r in rows if r["id"] == "energy_intensity_gdp_2025")
    assert intensity["base_year"] == 2020
    assert intensity["target_level"] == pytest.approx(intensity["base_value"] * 0.83)
    assert intensity["achieved_reduction_pct"] == pytest.approx(
        100 * (1 - intensity["latest_value"] / intensity["base_value"])
    )
    capacity = next(r for r in rows if r["id"] == "new_energy_capacity_2025")
    assert capacity["sources"] == ["reported by economic_development_bureau"]


def test_accounted_indicators_rest_on_full_years(
    demo_store: Engine, plan_document: PlanDocument
) -> None:
    values = indicator_values(demo_store, plan_document.plan)
    accounted = {v.year for v in values if v.source.startswith("accounted")}
    assert accounted == {2020, 2021, 2022}
    rate = {v.year: v.value for v in values if v.indicator == "supply_coal_rate"}
    assert all(285 < r < 310 for r in rate.values())


def test_track_command_json(
    demo_store: Engine, plan_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "CARBONPEAK_DATABASE_URL", demo_store.url.render_as_string(hide_password=False)
    )
    result = CliRunner().invoke(app, ["track", "--format", "json", "--year", "2021"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    rows = payload["targets"]
    assert all(r["status"] in STATUSES for r in rows)
    assert {r["latest_year"] for r in rows if r["latest_year"]} == {2021}
    goals = {g["id"]: g for g in payload["goals"]}
    assert len(goals) == len(plan_document.plan.goals) == 17  # 7 direction-only goals added
    assert goals["carbon_peak_before_2030"]["status"] in {"pending", "met", "not_met"}
    assert goals["no_new_aluminium_capacity"]["status"] == "pending"
    assert goals["new_coal_chemical_projects_at_benchmark"]["reasoning"].startswith("needs ")
    assert "synthetic" in payload["note"]


def test_annual_assessment_and_workbook(demo_store: Engine, plan_document: PlanDocument) -> None:
    import io

    from openpyxl import load_workbook

    from carbonpeak.services.assessment import NAMING_THRESHOLD, assessment
    from carbonpeak.services.assessment_texts import assessment_workbook

    result = assessment(demo_store, plan_document.plan, 2022)
    leads = {plan_document.plan.responsible_units(t)[0].name_zh for t in plan_document.plan.targets}
    leads |= {
        plan_document.plan.organisation(t.responsible_units[0]).name_zh
        for _, t in plan_document.plan.tasks()
    }
    cards = {c["unit"]: c for c in result["scorecards"]}
    assert set(cards) == leads
    for card in cards.values():
        assert card["score"] is None or 0 <= card["score"] <= 100
        named_by_score = card["score"] is not None and card["score"] < NAMING_THRESHOLD
        assert card["named"] == bool(card["reasons"])
        assert card["named"] >= named_by_score
    assert result["named"] == [c["unit"] for c in result["scorecards"] if c["named"]]
    book = load_workbook(io.BytesIO(assessment_workbook(result, synthetic=True)))
    assert book.sheetnames == ["考核汇总 Scorecards", "目标 Targets", "任务 Tasks"]
    headers = [c.value for c in book["目标 Targets"][1]]
    assert "状态 Status" in headers
    assert book["目标 Targets"].max_row == 1 + 40


def test_base_co2_decomposition_from_the_store(demo_store: Engine) -> None:
    from carbonpeak.accounting import account, parse_activity
    from carbonpeak.services.indicators import co2_decomposition_table
    from carbonpeak.services.submissions import accepted_activity
    from carbonpeak.tracking import decompose_table

    table = co2_decomposition_table(demo_store)
    assert set(table["factor"]) == {
        "activity",
        "intensity",
        "structure",
        "fuel_mix",
        "emission_factor",
    }
    result = decompose_table(table)
    combustion = (
        account(parse_activity(accepted_activity(demo_store)), "ningxia")
        .totals("base", "year")
        .set_index("year")["co2_combustion_t"]
    )
    assert result.totals == pytest.approx([combustion[y] for y in (2020, 2021, 2022)], rel=1e-9)
    assert result.additive.sum() == pytest.approx(combustion[2022] - combustion[2020], rel=1e-9)


def test_monthly_indicator_values(demo_store: Engine) -> None:
    from carbonpeak.plan import load_plan
    from carbonpeak.services.indicators import monthly_indicator_values

    values = monthly_indicator_values(demo_store)
    co2 = {v.period: v.value for v in values if v.indicator == "co2_emissions"}
    assert len(co2) == 36  # 2020-01 … 2022-12
    assert all(v.period is not None and v.period.startswith(str(v.year)) for v in values)
    annual = {
        v.year: v.value
        for v in indicator_values(demo_store, load_plan().plan)
        if v.indicator == "co2_emissions"
    }
    assert sum(v for p, v in co2.items() if p.startswith("2021")) == pytest.approx(annual[2021])
