"""Issue 17's must-shows on the demo base: the reviews of a new olefins line, a clinker line and
a project the pool cannot take; the peak shift against a scenario run; acceptance."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carbonpeak.plan import PlanDocument
from carbonpeak.projects import parse_project, review_rules, scenario_project, with_project
from carbonpeak.scenarios import load_scenario
from carbonpeak.services import dashboard
from carbonpeak.services.projects import add_project, list_projects
from carbonpeak.services.projects_pool import facility_load, pool, pool_years
from carbonpeak.services.projects_retrofit import retrofits, two_high_register
from carbonpeak.services.review import (
    acceptance,
    latest_review,
    record_opinion,
    record_review,
    review,
)
from carbonpeak.services.review_scenario import run_scenario
from carbonpeak.services.scenarios import summary
from tests.projects.conftest import COMMISSIONING, ProjectBase, copy_store, olefins_line

DRAWS = 300


def _codes(result: object) -> dict[str, str]:
    return {r.code: r.severity for r in result.reasons}  # type: ignore[attr-defined]


def test_the_demo_library_has_projects_in_every_stage(project_base: ProjectBase) -> None:
    stages = {p["stage"] for p in list_projects(project_base.engine)}
    assert stages == {"planned", "under_construction", "in_operation", "at_design_performance"}
    assert all(p["synthetic"] for p in list_projects(project_base.engine))
    statuses = {r["status"] for r in retrofits(project_base.engine, date(2026, 12, 5))}
    assert statuses == {"overdue", "on_track"}


def test_olefins_line_below_benchmark_is_refused_with_its_reasons(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    result = review(
        project_base.engine,
        plan_document.plan,
        parse_project(olefins_line(False)),
        with_scenario=False,
    )
    assert result.recommendation == "refuse"
    codes = _codes(result)
    assert codes["below_benchmark"] == "refuse"  # 三(三)2: new modern coal chemicals at benchmark
    below = next(r for r in result.reasons if r.code == "below_benchmark")
    assert below.clause == "三(三)2"
    assert below.figures["unit_value"] > below.figures["benchmark_level"] == 2800
    assert any("ndrc_benchmark" in line for line in below.lineage)
    # 3.4 Mt CO2 a year: more than the carbon budget has room for.
    assert codes["carbon_headroom"] == "refuse"


def test_olefins_line_at_benchmark_with_green_hydrogen_and_ccus_passes_with_conditions(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    result = review(
        project_base.engine,
        plan_document.plan,
        parse_project(olefins_line(True)),
        draws=DRAWS,
    )
    assert result.recommendation in ("pass", "pass_with_conditions")
    codes = _codes(result)
    assert codes["at_benchmark"] == "note"
    assert codes["green_hydrogen"] == "condition" and codes["ccus"] == "condition"
    assert "energy_headroom" not in codes and "carbon_headroom" not in codes
    assert result.effect is not None
    assert {t.year for t in result.effect.targets} <= {2025, 2030}
    assert {t.target for t in result.effect.targets} >= {"co2_utilisation_2030"}


def test_new_clinker_line_is_refused_by_the_plan_ban(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    clinker = parse_project(
        {
            **olefins_line(False),
            "id": "clinker_line",
            "name_zh": "水泥熟料生产线（测试）",
            "sector": "3011",
            "product": "clinker",
            "capacity": 60,
            "product_parameters": {"cao": 0.65, "mgo": 0.02},
            "energy": [
                {"item": "bituminous_coal", "quantity": 80_000, "unit": "t"},
                {"item": "electricity", "quantity": 30_000, "unit": "MWh"},
            ],
        }
    )
    result = review(project_base.engine, plan_document.plan, clinker, with_scenario=False)
    assert result.recommendation == "refuse"
    ban = next(r for r in result.reasons if r.code == "ban")
    assert ban.severity == "refuse" and ban.clause == "三(三)4"
    assert result.two_high == "building_materials"


def test_pool_exhausted_refuses_then_a_closure_frees_the_space(
    project_base: ProjectBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    store = copy_store(project_base, tmp_path)
    engine, plan = store.engine, plan_document.plan
    snap = dashboard.snapshot(engine, plan)
    first = int(COMMISSIONING[:4])
    room = min(
        p.headroom or 0.0 for p in pool_years(engine, plan, first, snap) if p.kind == "energy"
    )
    freed = facility_load(snap, "demo_coking_3", "coking_main")["energy"]
    assert freed > 0
    # Green power only (0.1229 tce/MWh, no CO2 where certificates count at zero): half the
    # closure's space more than the energy pool has.
    need_mwh = (room + freed / 2) / 0.1229
    big = parse_project(
        {
            **olefins_line(False),
            "id": "big_electric",
            "name_zh": "大型电耗项目（测试）",
            "sector": "3985",
            "product": "electronic_materials",
            "energy": [
                {
                    "item": "renewable_electricity",
                    "quantity": need_mwh,
                    "unit": "MWh",
                    "green_certificate": True,
                }
            ],
        }
    )
    refused = review(engine, plan, big, with_scenario=False)
    assert refused.recommendation == "refuse"
    assert _codes(refused)["energy_headroom"] == "refuse"
    from carbonpeak.services.projects_pool import release_closure

    release_closure(
        engine, plan, "demo_coking_3", "coking_main", date(2026, 6, 30), "关停文件（测试）", "test"
    )
    after = dashboard.snapshot(engine, plan)
    assert pool(engine, plan, first, "energy", after).headroom == pytest.approx(room + freed)
    passed = review(engine, plan, big, with_scenario=False)
    assert "energy_headroom" not in _codes(passed)
    assert passed.recommendation in ("pass", "pass_with_conditions")


def test_review_moves_the_peak_by_exactly_the_scenario_run_with_the_project(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    engine, plan = project_base.engine, plan_document.plan
    project = parse_project(olefins_line(True))
    result = review(engine, plan, project, draws=DRAWS)
    effect = result.effect
    assert effect is not None
    rules = review_rules()
    scenario = load_scenario(rules.scenario)
    added = with_project(scenario, scenario_project(project, result.figures, 2028))
    before = summary(run_scenario(engine, plan, scenario, DRAWS, rules.seed), plan)
    after = summary(run_scenario(engine, plan, added, DRAWS, rules.seed), plan)
    assert effect.p_peak_by_2030_before == before["p_peak_by_2030"]
    assert effect.p_peak_by_2030_after == after["p_peak_by_2030"]
    assert effect.p_shift == after["p_peak_by_2030"] - before["p_peak_by_2030"]
    assert effect.peak_year_before == before["peak_year"]
    assert effect.peak_year_after == after["peak_year"]
    assert effect.peak_year_median_after == after["peak_year_median"]
    # The project adds CO2: the chance of peaking by 2030 cannot rise.
    assert effect.p_peak_by_2030_after <= effect.p_peak_by_2030_before
    print(
        f"P(peak<=2030) {effect.p_peak_by_2030_before:.3f} -> {effect.p_peak_by_2030_after:.3f};"
        f" peak year {effect.peak_year_before} -> {effect.peak_year_after};"
        f" median {effect.peak_year_median_before} -> {effect.peak_year_median_after}"
    )


def test_acceptance_flags_a_commissioned_project_over_its_approval(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    engine, plan = project_base.engine, plan_document.plan
    over = acceptance(engine, plan, "olefins_3_line")
    assert over.status == "exceeds"
    assert over.gap_pct is not None and over.gap_pct > over.tolerance_pct
    assert len(over.months) == 12
    within = acceptance(engine, plan, "methanol_3_line")
    assert within.status == "within"


def test_an_approved_review_draws_on_the_pool_under_its_document(
    project_base: ProjectBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    store = copy_store(project_base, tmp_path)
    engine, plan = store.engine, plan_document.plan
    project = parse_project(olefins_line(True))
    add_project(engine, project, "test")
    before = pool(engine, plan, 2028, "energy")
    result = review(engine, plan, project, with_scenario=False)
    review_id = record_review(engine, result, "test")
    record_opinion(engine, review_id, True, "同意（测试）", "宁东审〔2026〕1号", "test")
    after = pool(engine, plan, 2028, "energy")
    assert after.drawn - before.drawn == pytest.approx(result.figures.energy_consumption_tce)
    stored = latest_review(engine, project.id)
    assert stored is not None and stored["opinion_document"] == "宁东审〔2026〕1号"


def test_two_high_register_from_the_accounts(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    register = two_high_register(project_base.engine, plan_document.plan, date(2026, 12, 5))
    by_unit = {(r["enterprise"], r["facility"]): r for r in register}
    assert ("demo_solar_1", "solar_main") not in by_unit
    coking = by_unit[("demo_coking_3", "coking_main")]
    assert coking["position"] == "worse_than_baseline" and coking["disposal"] == "retrofit"
    assert by_unit[("demo_methanol_1", "methanol_main")]["disposal"] == "keep"
    # The overdue 一企一策 plan past its deadline closes the facility.
    overdue = next(
        r for r in retrofits(project_base.engine, date(2026, 12, 5)) if r["status"] == "overdue"
    )
    assert by_unit[(overdue["enterprise"], overdue["facility"])]["disposal"] in (
        "close",
        "retrofit",
    )


def test_the_scenario_engine_takes_the_approved_pipeline_from_the_library(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    from carbonpeak.services.review_scenario import scenario_with_library

    scenario = scenario_with_library(project_base.engine, plan_document.plan, "policy")
    added = scenario.projects[-1]
    assert added.id == "degradable_materials"  # approved, under construction
    assert added.commissioning == 2026 and added.division == "26"
    assert "olefins_3_line" not in {p.id for p in scenario.projects}  # running: in the accounts
