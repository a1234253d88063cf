"""Demo data a statistician would believe: whole counts, industrial value added on its own
path, green hydrogen consumed where it replaces coal, and budgets with graded outcomes."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from carbonpeak.accounting import account, parse_activity
from carbonpeak.demo import BUDGET_OUTCOMES, DemoBase, demo_budgets, generate, load_calibration
from carbonpeak.plan import PlanDocument
from carbonpeak.services.demo import load_demo
from carbonpeak.services.warnings import budget_warnings
from carbonpeak.storage import make_engine, upgrade
from carbonpeak.units import parse_unit

END = "2026-10"  # a budget year with ten months reported


@pytest.fixture(scope="module")
def demo(plan_document: PlanDocument) -> DemoBase:
    return generate(END, plan_document.plan)


@pytest.fixture(scope="module")
def store(
    demo: DemoBase, plan_document: PlanDocument, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    upgrade(engine)
    load_demo(engine, demo, plan_document)
    yield engine
    engine.dispose()


def _quantities(frame: pd.DataFrame) -> pd.Series:
    return frame["quantity"].astype(float)


def test_every_count_indicator_is_a_whole_number(
    demo: DemoBase, plan_document: PlanDocument
) -> None:
    counted = {
        i.id
        for i in plan_document.plan.indicators
        if str((1 * parse_unit(i.unit)).to_root_units().units) == "count"
    }
    assert {"green_factory_count", "public_charging_piles"} <= counted
    reports = demo.indicator_reports[demo.indicator_reports["indicator"].isin(counted)]
    assert len(reports) >= 2 * 6
    values = reports["value"].astype(float)
    assert (values >= 0).all()
    assert (values == np.round(values)).all(), reports[values != np.round(values)]


def test_industrial_value_added_is_a_series_of_its_own(demo: DemoBase) -> None:
    macro = demo.macro.set_index("year")
    share = macro["industrial_value_added_constant"] / macro["gdp_constant_2020"]
    assert share.max() - share.min() > 0.01  # not a fixed share of GDP
    assert ((share > 0.7) & (share < 0.95)).all()  # an industrial base, with a service sector
    growth = macro["industrial_value_added_constant"].pct_change().dropna()
    gdp_growth = macro["gdp_constant_2020"].pct_change().dropna()
    assert not np.allclose(growth, gdp_growth, rtol=1e-3)
    assert growth[2024] == pytest.approx(0.206, abs=1e-4)  # ningdong-facts §1.1
    other = macro["gdp_constant_2020"] - macro["industrial_value_added_constant"]
    assert (other.diff().dropna() > 0).all()  # the rest of the economy grows too
    assert macro.loc[2022, "gdp_current"] == 620


def test_green_hydrogen_is_consumed_in_the_month_it_is_made(demo: DemoBase) -> None:
    activity = demo.activity
    hydrogen = activity[activity["item"] == "green_hydrogen"]
    made = (
        _quantities(hydrogen[hydrogen["role"] == "energy_output"]).groupby(hydrogen["period"]).sum()
    )
    used_rows = hydrogen[hydrogen["role"] == "energy_input"]
    used = _quantities(used_rows).groupby(used_rows["period"]).sum()
    assert len(made) >= 50  # from 2021-12 on
    pd.testing.assert_series_equal(made, used.reindex(made.index), check_names=False, rtol=1e-9)
    consumers = set(used_rows["enterprise"])
    archetypes = demo.enterprises.set_index("id")["archetype"]
    assert consumers and {archetypes[c] for c in consumers} <= {"olefins", "methanol"}
    assert set(used_rows["purpose"]) == {"feedstock"}


def test_hydrogen_replaces_its_coal_equivalent_of_feedstock(demo: DemoBase) -> None:
    calibration = load_calibration()
    use = calibration["green_hydrogen_use"]
    activity = demo.activity
    for consumer in use["consumers"]:
        key, number = consumer.removeprefix("demo_").rsplit("_", 1)
        archetype = next(a for a in calibration["archetypes"] if a["key"] == key)
        index = int(number) - 1
        line = next(r for r in archetype["recipe"] if r.get("purpose") == "feedstock")
        efficiency = (archetype.get("efficiency") or [1.0] * (index + 1))[index]
        rows = activity[activity["enterprise"] == consumer]
        by_month = rows.assign(q=_quantities(rows)).pivot_table(
            index="period", columns=["item", "role", "purpose"], values="q", aggfunc="sum"
        )
        coal = by_month[("bituminous_coal", "energy_input", "feedstock")]
        hydrogen = by_month[("green_hydrogen", "energy_input", "feedstock")].fillna(0.0)
        output = by_month[(archetype["driver"]["item"], "product_output", "")]
        year = by_month.index.str[:4].astype(int)
        trend = (1 + float(archetype.get("efficiency_trend", 0.0))) ** (year - 2020)
        recipe = float(line["quantity"]) * efficiency * trend * output
        assert hydrogen.sum() > 0
        np.testing.assert_allclose(coal + float(use["coal_per_t"]) * hydrogen, recipe, rtol=1e-5)


def test_the_base_counts_the_hydrogen_once(demo: DemoBase) -> None:
    result = account(parse_activity(demo.activity, "demo"), "ningxia")
    totals = result.totals("enterprise", "year")
    made = totals[totals["enterprise"].str.startswith("demo_green_hydrogen")]
    # The electrolysers deduct the hydrogen they supply (GB/T 2589): their energy is the
    # electricity less the hydrogen's 120 GJ/t, so the base counts it once, where it is used.
    hydrogen = demo.activity[
        (demo.activity["item"] == "green_hydrogen") & (demo.activity["role"] == "energy_output")
    ]
    supplied_tce = _quantities(hydrogen).sum() * 120 / 29.3076
    electricity_tce = made["energy_gross_equivalent_tce"].sum()
    assert supplied_tce > 0
    assert made["energy_gross_tce"].sum() < electricity_tce
    base = result.totals("base", "year")
    assert base["green_hydrogen_t"].sum() == pytest.approx(_quantities(hydrogen).sum(), rel=1e-9)


def test_budgets_have_graded_outcomes(
    demo: DemoBase, store: Engine, plan_document: PlanDocument
) -> None:
    planned = demo_budgets(demo).set_index(["scope", "kind"])["outcome"]
    counts = planned.value_counts()
    assert set(counts.index) == set(BUDGET_OUTCOMES)
    assert counts["normal"] >= 0.7 * len(planned)  # most are normal
    assert counts["warning"] + counts["over"] <= 0.1 * len(planned)  # only a few warn
    rows = budget_warnings(store, plan_document.plan)
    assert len(rows) == len(planned)
    for row in rows:
        outcome = planned[(row["scope"], row["kind"])]
        share = row["forecast_share"]
        expected = {
            "normal": row["level"] == "ok" and share < 0.95,
            "watch": row["level"] == "watch" and 0.95 <= share < 1.0,
            "warning": row["level"] == "warning",
            "over": row["level"] == "exceeded",
        }[outcome]
        assert expected, (row["scope"], row["kind"], outcome, row["level"], share)


def test_budgets_are_deterministic_and_round(demo: DemoBase) -> None:
    budgets = demo_budgets(demo)
    pd.testing.assert_frame_equal(budgets, demo_budgets(demo))
    for value in budgets["value"]:
        digits = f"{value:.0f}".rstrip("0")
        assert len(digits) <= 3, value  # three significant figures


def test_calibration_is_labelled_synthetic(demo: DemoBase) -> None:
    assert load_calibration()["synthetic"] is True
    assert demo.activity.attrs["synthetic"]
    assert demo.macro.attrs["synthetic"]
