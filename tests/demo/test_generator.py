"""The synthetic demo base: deterministic, labelled synthetic, plausible for the base."""

import pandas as pd
import pytest

from carbonpeak.accounting import account, check, parse_activity
from carbonpeak.demo import SYNTHETIC_NOTE, generate, last_full_month
from carbonpeak.plan import PlanDocument


@pytest.fixture(scope="module")
def demo(plan_document: PlanDocument):  # type: ignore[no-untyped-def]
    return generate("2026-10", plan_document.plan)


@pytest.fixture(scope="module")
def yearly(demo) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return account(parse_activity(demo.activity, "demo"), "ningxia").totals("base", "year")


def test_deterministic(demo, plan_document: PlanDocument) -> None:  # type: ignore[no-untyped-def]
    again = generate("2026-10", plan_document.plan)
    pd.testing.assert_frame_equal(demo.activity, again.activity)
    pd.testing.assert_frame_equal(demo.indicator_reports, again.indicator_reports)


def test_labelled_synthetic(demo) -> None:  # type: ignore[no-untyped-def]
    assert 60 <= len(demo.enterprises) <= 100
    assert demo.enterprises["synthetic"].all()
    assert demo.enterprises["name_zh"].str.endswith("（合成）").all()
    assert demo.enterprises["name_en"].str.endswith("(synthetic)").all()
    assert all(f.attrs["synthetic"] for f in (demo.activity, demo.enterprises, demo.macro))
    assert "synthetic" in SYNTHETIC_NOTE


def test_covers_every_sector_of_the_brief(demo) -> None:  # type: ignore[no-untyped-def]
    assert set(demo.enterprises["archetype"]) >= {
        "coal_power",
        "ctl",
        "olefins",
        "methanol",
        "ethylene_glycol",
        "coking",
        "aluminium",
        "clinker",
        "carbide",
        "solar",
        "green_hydrogen",
    }
    assert (demo.activity["role"] == "co2_captured").any()  # CCUS


def test_monthly_from_2020_to_the_end_month(demo) -> None:  # type: ignore[no-untyped-def]
    assert demo.months[0] == "2020-01"
    assert demo.months[-1] == "2026-10"
    assert set(demo.activity["period"]) == set(demo.months)
    assert last_full_month(pd.Timestamp("2026-11-23")) == "2026-10"


def test_activity_is_valid_and_reconciles(demo) -> None:  # type: ignore[no-untyped-def]
    result = account(parse_activity(demo.activity, "demo"), "ningxia")
    assert check(result) == []


def test_plausible_for_the_base(demo, yearly: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    macro = demo.macro.set_index("year")
    assert macro.loc[2022, "gdp_current"] == 620  # ningdong-facts §1.1
    power = demo.facilities[demo.facilities["product"] == "electricity"]
    assert power["capacity"].sum() >= 5000  # coal power in GW
    full_years = yearly[yearly["year"] <= 2025].set_index("year")
    coal = full_years["coal_t"]
    assert ((coal > 3e7) & (coal < 9e7)).all()  # coal conversion in tens of Mt
    rate = full_years["supply_coal_rate_gce_per_kwh"]
    assert ((rate > 285) & (rate < 310)).all()
    assert full_years.loc[2025, "co2_captured_t"] == pytest.approx(800_000, rel=1e-6)
    reports = demo.indicator_reports.set_index(["indicator", "year"])
    assert reports.loc[("aluminium_capacity", 2025), "value"] <= 57
    assert reports.loc[("clinker_capacity", 2025), "value"] <= 100


def test_indicator_reports_have_owners_and_units(demo) -> None:  # type: ignore[no-untyped-def]
    reports = demo.indicator_reports
    assert reports["reporting_unit"].notna().all()
    assert reports["unit"].notna().all()
    assert set(reports["year"]) == {2020, 2021, 2022, 2023, 2024, 2025}
    capacity = reports[reports["indicator"] == "new_energy_capacity"].set_index("year")["value"]
    assert capacity[2025] > capacity[2020]
