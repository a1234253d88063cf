"""Budget warnings from a demo store, delivered to the units the plan names."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from carbonpeak.demo import demo_budgets, generate
from carbonpeak.plan import PlanDocument
from carbonpeak.services.warnings import budget_warnings, set_budget
from tests.conftest import BACKENDS, DemoStores


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, demo_stores: DemoStores) -> Engine:
    """A copy of the demo base to 2021-08 (loaded once per database kind): a test sets budgets."""
    return demo_stores.copy(request, request.param, "2021-08")


def test_demo_budgets_cover_full_year_key_units_and_the_base(plan_document: PlanDocument) -> None:
    budgets = demo_budgets(generate("2022-03", plan_document.plan))
    assert set(budgets["year"]) == {2022}
    assert {"base"} < set(budgets["scope"])
    assert "demo_green_hydrogen_2" not in set(budgets["scope"])  # commissioned 2025-06
    assert budgets.attrs["synthetic"]


def test_warnings_forecast_each_budget(store: Engine, plan_document: PlanDocument) -> None:
    rows = budget_warnings(store, plan_document.plan)
    assert rows
    assert {r["year"] for r in rows} == {2021}
    assert {r["months"] for r in rows} == {8}
    base = next(r for r in rows if r["scope"] == "base" and r["kind"] == "energy")
    assert base["profile_years"] == 1  # 2020 gives the seasonal profile
    # Tighten one enterprise's budget so that its pace must overrun it.
    unit = next(r for r in rows if r["scope"] != "base" and r["kind"] == "energy")
    set_budget(store, unit["scope"], 2021, "energy", unit["used"] / 0.70, "office")
    tightened = next(
        r
        for r in budget_warnings(store, plan_document.plan)
        if r["scope"] == unit["scope"] and r["kind"] == "energy"
    )
    assert tightened["used_share"] == pytest.approx(0.70)
    assert tightened["forecast_share"] == pytest.approx(0.70 / tightened["expected_share"])
    # Eight months of a (nearly) flat profile carry about two thirds of a year: 70 % is too fast.
    assert tightened["expected_share"] < 0.70
    assert tightened["level"] == "warning"
    assert tightened["recipients"] == [unit["scope"], "经济发展局"]
    with pytest.raises(ValueError, match="kind"):
        set_budget(store, "base", 2021, "water", 1.0, "office")
