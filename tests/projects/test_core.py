"""The pure core: the model's checks, the pool arithmetic, the decision, acceptance, retrofits
and the two-high list."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.datafile import DataFileError
from carbonpeak.projects import (
    LedgerEntry,
    Milestone,
    Reason,
    RetrofitPlan,
    accept,
    decide,
    dispose,
    label,
    parse_project,
    pool_year,
    project_figures,
    retrofit_status,
    review_rules,
    two_high_list,
)
from tests.projects.conftest import olefins_line


def test_capacity_in_wan_tonnes_per_year_through_the_unit_registry() -> None:
    project = parse_project(olefins_line(False))
    assert project.capacity_t == pytest.approx(500_000)
    assert project.annual_output_t == pytest.approx(500_000)
    assert project.commissioning_year() == 2028


def test_a_bad_project_file_names_every_problem() -> None:
    with pytest.raises(DataFileError) as caught:
        parse_project({**olefins_line(False), "capacity_unit": "MWh", "sector": "x"})
    text = str(caught.value)
    assert "sector" in text and "capacity_unit" in text


def test_project_figures_by_the_accounting_engine_keep_feedstock_apart() -> None:
    below = project_figures(parse_project(olefins_line(False)), 2024)
    # 1.4 Mt feedstock coal at 0.7143 tce/t (GB/T 2589) is kept apart from energy for control.
    assert below.feedstock_energy_tce == pytest.approx(1_400_000 * 0.7143, rel=1e-6)
    assert below.energy_consumption_tce == pytest.approx(
        below.energy_gross_tce - below.feedstock_energy_tce
    )
    assert below.unit_value == pytest.approx(below.energy_gross_tce * 1000 / 500_000)
    assert below.position == "between_benchmark_and_baseline"
    at = project_figures(parse_project(olefins_line(True)), 2024)
    assert at.position == "at_benchmark"
    assert at.co2_captured_t == 1_200_000
    assert at.co2_net_t == pytest.approx(at.co2_total_t - 1_200_000)
    assert at.green_power_mwh == 400_000 and at.grid_electricity_mwh == 600_000


@given(
    budget=st.floats(0, 1e8),
    load=st.floats(0, 1e8),
    amounts=st.lists(
        st.tuples(st.sampled_from(["draw", "closure", "retrofit"]), st.floats(0, 1e7))
    ),
)
def test_headroom_is_budget_less_load_less_draws_plus_releases(
    budget: float, load: float, amounts: list[tuple[str, float]]
) -> None:
    entries = [LedgerEntry(2028, "energy", e, a, "tce", "doc") for e, a in amounts]
    pool = pool_year(2028, "energy", budget, load, 2024, entries)
    drawn = sum(a for e, a in amounts if e == "draw")
    released = sum(a for e, a in amounts if e != "draw")
    assert pool.headroom == pytest.approx(budget - load - drawn + released, abs=1e-3)
    assert pool.allows(0.0) == (pool.headroom is not None and pool.headroom >= 0)


def test_a_pool_without_a_budget_allows_nothing() -> None:
    pool = pool_year(2031, "carbon", None, 10.0, 2024, [])
    assert pool.headroom is None and not pool.allows(0.0)


def test_the_decision_refusal_over_conditions_over_pass() -> None:
    refuse = Reason("ban", "refuse", "三(三)4", "", "")
    condition = Reason("ccus", "condition", "三(三)2", "", "")
    note = Reason("at_benchmark", "note", "三(三)2", "", "")
    assert decide([note]) == "pass"
    assert decide([note, condition]) == "pass_with_conditions"
    assert decide([condition, refuse, note]) == "refuse"


def test_acceptance_flags_a_gap_beyond_the_tolerance() -> None:
    rules = review_rules().acceptance
    months = {f"2024-{m:02d}": 110.0 for m in range(1, 13)}
    flagged = accept("p", 1200.0, months, "2024-01", rules)
    assert flagged.status == "exceeds" and flagged.gap_pct == pytest.approx(10.0)
    within = accept("p", 1300.0, months, "2024-01", rules)
    assert within.status == "within"
    early = accept("p", 1200.0, months, "2024-11", rules)
    assert early.status == "too_early" and early.accounted_tce is None


def test_retrofit_overdue_and_its_saving() -> None:
    plan = RetrofitPlan(
        None,
        "e",
        "f",
        "calcium_carbide",
        900.0,
        805.0,
        300_000,
        date(2025, 12, 31),
        (
            Milestone("诊断", date(2025, 3, 31), date(2025, 3, 1)),
            Milestone("完工", date(2025, 12, 31)),
        ),
    )
    assert plan.saving_tce == pytest.approx(95 * 300)
    assert retrofit_status(plan, date(2025, 6, 1)) == ("on_track", ())
    assert retrofit_status(plan, date(2026, 1, 2)) == ("overdue", ("完工",))


def test_two_high_list_classifies_and_disposes() -> None:
    lists = two_high_list()
    assert lists.edition == "2021" and lists.status == "unverified"
    assert lists.sector_of("3011").key == "building_materials"  # type: ignore[union-attr]
    assert lists.sector_of("4416") is None  # solar power is not two-high
    assert {b.product for b in lists.bans} == {"aluminium", "clinker"}
    today = date(2026, 12, 5)
    kept = dispose(lists, "e", "f", "2614", "methanol", "at_benchmark", False, False, today)
    assert kept is not None and kept.disposal == "keep"
    late = dispose(lists, "e", "f", "2521", "coke", "worse_than_baseline", False, True, today)
    assert late is not None and late.disposal == "close"
    retrofit = dispose(
        lists, "e", "f", "2521", "coke", "between_benchmark_and_baseline", False, False, today
    )
    assert retrofit is not None and retrofit.disposal == "retrofit"
    assert retrofit.deadline == date(2030, 12, 31)


def test_every_status_has_both_labels() -> None:
    assert label("stage", "under_construction") == "开工"
    assert label("recommendation", "pass_with_conditions", "en") == "pass with conditions"
