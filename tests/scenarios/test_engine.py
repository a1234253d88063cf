"""The projection engine: zero variance equals the deterministic path exactly; a child with no
overrides equals its parent; the peak rule on hand-made series; the vectorised engine equals
the plain loop; inheritance, validation and the assumption diff."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.datafile import DataFileError
from carbonpeak.scenarios import (
    NO_PEAK,
    BaseYear,
    Boundary,
    assumption_diff,
    deterministic,
    load_scenario,
    peak,
    project,
    project_loop,
    sample,
    scenario_ids,
)
from carbonpeak.scenarios.model import Scenario, Uncertain

SCENARIOS = Path(__file__).parents[2] / "src" / "carbonpeak" / "data" / "scenarios" / "ningdong"


BOUNDARY = Boundary(
    grid_factor=0.6187,
    residual_factor=0.6096,
    grid_non_fossil_share=0.2521,
    equivalent_tce_per_mwh=0.3016,
    calorific_tce_per_mwh=0.1229,
    non_fossil_supplied_mwh=5e6,
    non_fossil_delivered_mwh=1e5,
    # The accounted base year: near the yearly formula's values, not equal (months differ).
    electricity_co2_t=-1.88e7,
    energy_tce=2.05e7,
    energy_equivalent_tce=1.66e7,
    non_fossil_tce=5.9e5,
)


def make_base(year: int = 2025, importer: bool = False) -> BaseYear:
    """A hand-made base year of five divisions (tCO2, tce, MWh): a net exporter of coal power
    (division 44 supplies 36 TWh), or with ``importer`` a base without generators."""
    return BaseYear(
        year=year,
        divisions=("25", "26", "30", "32", "44"),
        energy_tce=np.array([8e6, 5e6, 1e5, 8e5, 1.1e7]),
        combustion_co2_t=np.array([8e6, 9e6, 2e5, 1e5, 2.9e7]),
        process_co2_t=np.array([2e7, 1.5e7, 4e5, 7e5, 0.0]),
        heat_co2_t=np.array([3e5, 5e5, 0.0, 0.0, -4e5]),
        bought_mwh=np.array([1.2e6, 7e6, 2e5, 5e6, 0.0]),
        own_generation_mwh=np.array([0.0, 8e5, 0.0, 0.0, 0.0]),
        green_mwh=np.array([0.0, 1e6, 0.0, 1.5e6, 0.0]),
        fossil_supplied_mwh=np.array([0.0, 0.0, 0.0, 0.0, 0.0 if importer else 3.6e7]),
        delivered_mwh=np.array([0.0, 2e5, 0.0, 0.0, 0.0]),
        coal_t=np.array([2.2e7, 1.8e7, 1e5, 0.0, 1.6e7]),
        captured_t=8e5,
        boundary=BOUNDARY
        if not importer
        else replace(
            BOUNDARY,
            non_fossil_supplied_mwh=1e6,
            electricity_co2_t=7.6e6,
            energy_tce=2.9e7,
            energy_equivalent_tce=3.1e7,
            non_fossil_tce=1.6e6,
        ),
        gdp_wan=6.5e6,
        new_energy_wkw=550.0,
        green_hydrogen_wt=6.0,
        history={"co2_emissions": {2024: 9200.0, 2025: 9301.0}},
        benchmark_floor={"25": 0.9, "26": 0.92, "32": 0.98},
    )


def _zero_variance(scenario: Scenario) -> Scenario:
    """The same scenario with every spread set to zero and every delay made certain."""
    raw = scenario.model_dump(mode="json")

    def squash(node: object) -> object:
        if isinstance(node, dict):
            if set(node) >= {"mean", "sd"}:
                return {**node, "sd": 0.0}
            if set(node) == {"values", "weights"}:
                central = node["values"][int(np.argmax(node["weights"]))]
                return {"values": [central], "weights": [1.0]}
            return {k: squash(v) for k, v in node.items()}
        if isinstance(node, list):
            return [squash(v) for v in node]
        return node

    return Scenario.model_validate(squash(raw))


@pytest.mark.parametrize("name", ["baseline", "policy", "enhanced"])
def test_zero_variance_equals_the_deterministic_path_exactly(name: str) -> None:
    scenario = _zero_variance(load_scenario(name))
    base = make_base()
    central = project(scenario, base, deterministic(scenario, base))
    draws = project(scenario, base, sample(scenario, base, 50, seed=7))
    for indicator, values in draws.values.items():
        expected = np.broadcast_to(central.values[indicator], values.shape)
        np.testing.assert_array_equal(values, expected, err_msg=indicator)


def test_a_child_with_no_overrides_equals_its_parent(tmp_path: Path) -> None:
    for name in scenario_ids(SCENARIOS):
        (tmp_path / f"{name}.yaml").write_text(
            (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "copy.yaml").write_text(
        yaml.safe_dump(
            {
                "format": "carbonpeak-scenario/1",
                "id": "copy",
                "parent": "policy",
                "version": "1",
                "title_zh": "复本",
                "title_en": "Copy",
                "source": "test",
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    parent, child = load_scenario("policy", tmp_path), load_scenario("copy", tmp_path)
    assert assumption_diff(parent, child) == []
    base = make_base()
    a = project(parent, base, sample(parent, base, 200, seed=3))
    b = project(child, base, sample(child, base, 200, seed=3))
    for indicator in a.values:
        np.testing.assert_array_equal(a.values[indicator], b.values[indicator])


def test_inheritance_merges_and_the_diff_names_what_differs() -> None:
    baseline, policy, enhanced = (load_scenario(n) for n in ("baseline", "policy", "enhanced"))
    assert enhanced.parent == "policy"
    assert policy.parent == "baseline"
    # enhanced states only the process CO2 of olefins phase 3; the rest comes from baseline.
    phase_3 = next(p for p in enhanced.projects if p.id == "olefins_phase_3")
    assert phase_3.process_co2_t == 3_000_000
    assert (
        phase_3.energy_tce
        == next(p for p in baseline.projects if p.id == "olefins_phase_3").energy_tce
    )
    # policy changes only some of division 26's assumptions; the others are inherited.
    assert policy.sector("26").intensity_floor == "benchmark"
    assert policy.sector("30") == baseline.sector("30")
    diff = {d["assumption"]: d for d in assumption_diff(policy, enhanced)}
    assert diff["projects[olefins_phase_3].process_co2_t"] == {
        "assumption": "projects[olefins_phase_3].process_co2_t",
        "policy": 5_500_000.0,
        "enhanced": 3_000_000.0,
    }
    assert diff["ccus.steps"]["enhanced"] == {2026: 1e6, 2028: 2.5e6, 2030: 4e6}
    assert "sectors.30.intensity_floor" not in diff


def test_bad_scenario_files_name_the_field(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "format: carbonpeak-scenario/1\nid: bad\nversion: '1'\ntitle_zh: 坏\ntitle_en: Bad\n"
        "source: test\ngdp_growth: {mean: 0.05, sd: -1}\nhorizon: 2100\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_scenario("bad", tmp_path)
    locations = {p.location for p in caught.value.problems}
    assert locations == {"gdp_growth → sd", "horizon"}
    assert caught.value.file.endswith("bad.yaml")
    (tmp_path / "loop.yaml").write_text(
        "format: carbonpeak-scenario/1\nid: loop\nparent: loop\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="inheritance loop"):
        load_scenario("loop", tmp_path)
    with pytest.raises(DataFileError, match="no such scenario"):
        load_scenario("absent", tmp_path)


@pytest.mark.parametrize(
    ("series", "tolerance", "year", "peaked", "by_2029"),
    [
        ([10, 12, 11, 10, 9, 8], 0.0, 2027, True, True),  # a clear peak, then decline
        ([10, 11, 12, 13, 14, 15], 0.0, None, False, False),  # still rising at the horizon
        ([10, 12, 12.1, 11, 10, 9], 0.01, 2027, True, True),  # 2027 is within 1 % of the top
        ([10, 12, 12.1, 11, 10, 9], 0.0, 2028, True, True),  # strict: the maximum's year
        ([10, 12, 11, 12.5, 11, 10], 0.0, 2029, True, True),  # a second, higher hump
        ([10, 11, 10.5, 10.6, 11.05, 10.9], 0.01, 2027, True, True),  # a plateau within 1 %
        ([10, 11, 10.5, 10.6, 11.05, 10.9], 0.0, 2030, True, False),  # strict: 2030 is higher
        ([10, 11, 11.02, 11.04, 11.06, 11.08], 0.01, None, False, False),  # creeping up to the end
    ],
)
def test_peak_rule_on_hand_made_series(
    series: list[float], tolerance: float, year: int | None, peaked: bool, by_2029: bool
) -> None:
    years = [2026, 2027, 2028, 2029, 2030, 2031]
    result = peak(np.array([series], dtype=float), years, tolerance)
    assert bool(result.peaked[0]) is peaked
    assert (int(result.year[0]) if peaked else None) == year
    assert bool(result.peaked_by(2029)[0]) is by_2029
    if peaked:  # nothing after the peak year exceeds its value by more than the tolerance
        after = np.array(series)[years.index(year) + 1 :]
        assert (after <= float(result.value[0]) * (1 + tolerance)).all()


def test_peaked_by_a_year_uses_the_plateau() -> None:
    years = [2027, 2028, 2029, 2030, 2031, 2032]
    rising_slightly = np.array([[10, 11, 10.9, 10.95, 11.05, 10.8]])  # +0.45 % after 2028
    assert peak(rising_slightly, years, 0.01).peaked_by(2030).tolist() == [True]
    assert peak(rising_slightly, years, 0.0).peaked_by(2030).tolist() == [False]
    late = np.array([[10, 10.5, 11, 11.5, 12, 11]])  # the maximum is 2031
    assert peak(late, years, 0.01).peaked_by(2030).tolist() == [False]
    assert peak(late, years, 0.01).peaked_by(2031).tolist() == [True]
    assert peak(late, years, 0.01).distribution() == {"2031": 1.0, NO_PEAK: 0.0}


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(st.floats(1.0, 100.0), min_size=8, max_size=8), min_size=1, max_size=40),
    tolerance=st.sampled_from([0.0, 0.01, 0.05]),
)
def test_one_peak_rule_behind_probability_distribution_and_percentiles(
    rows: list[list[float]], tolerance: float
) -> None:
    years = list(range(2024, 2032))
    result = peak(np.array(rows), years, tolerance)
    bars = result.distribution()
    assert sum(bars.values()) == pytest.approx(1.0, abs=1e-12)
    for year in years:  # P(peak ≤ Y) is the sum of the bars up to Y
        upto = sum(v for k, v in bars.items() if k != NO_PEAK and int(k) <= year)
        assert result.probability_by(year) == pytest.approx(upto, abs=1e-12)
    assert bars[NO_PEAK] == pytest.approx(1 - result.probability_by(years[-1]), abs=1e-12)
    median = result.percentiles()["p50"]  # over all draws: no peak counts as later than all
    if median is None:
        assert result.probability_by(years[-1]) < 0.5 + 1e-12
    else:
        assert result.probability_by(median) >= 0.5
        assert result.probability_by(median - 1) < 0.5


uncertain = st.builds(
    Uncertain,
    mean=st.floats(-0.05, 0.08),
    sd=st.floats(0, 0.03),
)


@settings(max_examples=25, deadline=None)
@given(
    growth=uncertain,
    efficiency=uncertain,
    grid=uncertain,
    seed=st.integers(0, 2**31),
    name=st.sampled_from(["baseline", "policy", "enhanced"]),
    importer=st.booleans(),
)
def test_vectorised_engine_equals_the_plain_loop(
    growth: Uncertain, efficiency: Uncertain, grid: Uncertain, seed: int, name: str, importer: bool
) -> None:
    scenario = load_scenario(name).model_copy(
        update={
            "default_sector": load_scenario(name).default_sector.model_copy(
                update={"output_growth": growth, "efficiency_gain": efficiency}
            ),
            "grid_factor_change": grid,
        }
    )
    base = make_base(importer=importer)
    draws = sample(scenario, base, 20, seed)
    fast = project(scenario, base, draws)
    slow = project_loop(scenario, base, draws)
    for indicator in ("co2_emissions", "energy_consumption", "non_fossil_share"):
        np.testing.assert_allclose(fast.values[indicator], slow[indicator], rtol=1e-10)


@pytest.mark.parametrize("importer", [False, True])
def test_projection_starts_where_the_base_year_ends(importer: bool) -> None:
    """With nothing changing, the first projected year reproduces the base year's accounted
    regional totals: CO2, energy and the non-fossil share."""
    scenario = _zero_variance(load_scenario("baseline")).model_copy(
        update={
            "default_sector": load_scenario("baseline").default_sector.model_copy(
                update={
                    "output_growth": Uncertain(mean=0.0),
                    "efficiency_gain": Uncertain(mean=0.0),
                    "fuel_factor_change": Uncertain(mean=0.0),
                }
            ),
            "sectors": {},
            "grid_factor_change": Uncertain(mean=0.0),
            "new_energy_additions": (),
            "projects": (),
            "green_hydrogen": load_scenario("baseline").green_hydrogen.model_copy(
                update={"steps": ()}
            ),
            "ccus": load_scenario("baseline").ccus.model_copy(update={"steps": ()}),
        }
    )
    base = make_base(importer=importer)
    result = project(scenario, base, deterministic(scenario, base))
    accounted = base.boundary
    direct = base.combustion_co2_t.sum() + base.process_co2_t.sum() + base.heat_co2_t.sum()
    co2 = direct + accounted.electricity_co2_t - base.captured_t
    share = 100 * accounted.non_fossil_tce / accounted.energy_equivalent_tce
    for indicator, expected in (
        ("co2_emissions", co2 / 1e4),
        ("energy_consumption", accounted.energy_tce / 1e4),
        ("non_fossil_share", share),
        ("new_energy_capacity", 550.0),
    ):
        np.testing.assert_allclose(result.values[indicator][0], expected, rtol=1e-12)


def test_a_benchmark_floor_stops_efficiency_at_the_benchmark_gap() -> None:
    policy = load_scenario("policy")
    assert policy.sector("26").intensity_floor == "benchmark"
    only_26 = BaseYear(
        year=2025,
        divisions=("26",),
        energy_tce=np.array([5e6]),
        combustion_co2_t=np.array([9e6]),
        process_co2_t=np.array([1.5e7]),
        heat_co2_t=np.array([0.0]),
        bought_mwh=np.array([0.0]),
        own_generation_mwh=np.array([0.0]),
        green_mwh=np.array([0.0]),
        fossil_supplied_mwh=np.array([0.0]),
        delivered_mwh=np.array([0.0]),
        coal_t=np.array([1.8e7]),
        captured_t=0.0,
        boundary=replace(
            BOUNDARY,
            non_fossil_supplied_mwh=0.0,
            non_fossil_delivered_mwh=0.0,
            electricity_co2_t=0.0,
            energy_tce=5e6,
            energy_equivalent_tce=5e6,
            non_fossil_tce=0.0,
        ),
        gdp_wan=6.5e6,
        new_energy_wkw=0.0,
        green_hydrogen_wt=0.0,
        benchmark_floor={"26": 0.92},
    )
    sector = policy.sector("26").model_copy(update={"output_growth": Uncertain(mean=0.0)})
    long_run = policy.model_copy(
        update={"horizon": 2060, "sectors": {"26": sector}, "projects": ()}
    )
    energy = project(long_run, only_26, deterministic(long_run, only_26)).values[
        "energy_consumption"
    ][0]
    assert energy[0] == pytest.approx(500 * (1 - 0.022))  # 2.2 %/yr gain in the first year
    assert energy[-1] == pytest.approx(500 * 0.92)  # then no lower than the benchmark gap
    no_benchmarks = BaseYear(**{**only_26.__dict__, "benchmark_floor": {}})
    with pytest.raises(KeyError, match="division 26: intensity_floor 'benchmark' needs"):
        project(long_run, no_benchmarks, deterministic(long_run, no_benchmarks))


def test_splitting_a_division_into_enterprises_keeps_the_totals() -> None:
    """Units of one division share its draws: the same division split into enterprises (same
    assumptions, numeric floors) projects the same totals."""
    scenario = load_scenario("baseline")
    whole = make_base()
    halves = BaseYear(
        **{
            **whole.__dict__,
            "divisions": tuple(d for d in whole.divisions for _ in (0, 1)),
            "units": tuple(f"{d}_{i}" for d in whole.divisions for i in (0, 1)),
            **{
                name: np.repeat(getattr(whole, name) * 0.5, 2)
                for name in (
                    "energy_tce",
                    "combustion_co2_t",
                    "process_co2_t",
                    "heat_co2_t",
                    "bought_mwh",
                    "own_generation_mwh",
                    "green_mwh",
                    "fossil_supplied_mwh",
                    "delivered_mwh",
                    "coal_t",
                )
            },
        }
    )
    a = project(scenario, whole, sample(scenario, whole, 100, seed=11))
    b = project(scenario, halves, sample(scenario, halves, 100, seed=11))
    for indicator in (
        "co2_emissions",
        "energy_consumption",
        "coal_consumption",
        "non_fossil_share",
        "net_imported_electricity",
    ):
        np.testing.assert_allclose(a.values[indicator], b.values[indicator], rtol=1e-12)
    np.testing.assert_allclose(a.by_division, b.by_division, rtol=1e-12)
