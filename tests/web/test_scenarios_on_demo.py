"""Scenarios on the demo base: `carbonpeak scenario run baseline --format json`, the API, the
IAMC export read back by pyam, and re-basing when a new full year is accepted."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests.web.conftest import WebBase, api_client, copy_base, page_client
from typer.testing import CliRunner

from carbonpeak.cli import app as cli
from carbonpeak.plan import PlanDocument, load_plan
from carbonpeak.scenarios import (
    NO_PEAK,
    Uncertain,
    deterministic,
    full_series,
    load_scenario,
    project,
)
from carbonpeak.services import dashboard
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.scenarios import REFERENCE_SCENARIO, base_year, target_outlook
from carbonpeak.storage import SubmissionRow
from carbonpeak.units import WAN


def test_scenario_run_baseline_json_on_the_demo_base(
    web_base: WebBase, monkeypatch: pytest.MonkeyPatch, web_app: FastAPI
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(web_base.engine.url))
    result = CliRunner().invoke(
        cli, ["scenario", "run", "baseline", "--format", "json", "--draws", "500"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["base_year"] == 2024  # the demo's last full year
    assert "p_peak_by_2030" in payload
    assert 0.0 <= payload["p_peak_by_2030"] <= 1.0
    assert ("peak_year" in payload) and ("peak_value" in payload)
    if payload["peaked_within_horizon"]:
        assert 2024 <= payload["peak_year"] < 2035
        assert payload["peak_value"] > 0
    else:
        assert payload["peak_year"] is None
    assert sum(payload["peak_year_distribution"].values()) == pytest.approx(1.0)
    targets = {t["target"]: t for t in payload["targets"]}
    assert {"co2_utilisation_2030", "new_energy_capacity_2030", "energy_intensity_gdp_2025"} <= set(
        targets
    )
    for row in targets.values():
        assert 0.0 <= row["probability"] <= 1.0
    assert "合成" in payload["synthetic_note"]
    # The API gives the office the same numbers for the same draws and seed, each target marked
    # whether its base year is confidential; a viewer gets null for those (docs/confidentiality.md).
    office = api_client(web_app, web_base, "office")
    api = office.get("/api/v1/scenarios/baseline", params={"draws": 500}).json()
    assert api["p_peak_by_2030"] == payload["p_peak_by_2030"]
    unmarked = [
        {k: v for k, v in t.items() if not k.startswith("confidential")} for t in api["targets"]
    ]
    assert unmarked == payload["targets"]
    viewer = api_client(web_app, web_base, "viewer")
    seen = viewer.get("/api/v1/scenarios/baseline", params={"draws": 500}).json()["targets"]
    utilisation = next(t for t in seen if t["target"] == "co2_utilisation_2030")
    assert utilisation["confidential"] is True  # 2024's CO2 utilised is one plant's
    assert utilisation["median"] is None
    assert utilisation["probability"] == targets["co2_utilisation_2030"]["probability"]
    assert office.get("/api/v1/scenarios/nothing").status_code == 404


def test_one_peak_rule_in_the_cli_the_api_and_the_page(
    web_base: WebBase, monkeypatch: pytest.MonkeyPatch, web_app: FastAPI
) -> None:
    """`scenario run baseline --format json`: the peak-year distribution sums to 1 with its
    no-peak bar, P(peak ≤ 2030) is the sum of its bars up to 2030, and the percentiles are over
    all draws; the API and the 情景与达峰 page show the same numbers."""
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(web_base.engine.url))
    result = CliRunner().invoke(cli, ["scenario", "run", "baseline", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    bars = payload["peak_year_distribution"]
    assert NO_PEAK in bars
    assert sum(bars.values()) == pytest.approx(1.0, abs=1e-12)
    for year, key in ((2030, "p_peak_by_2030"), (2025, "p_peak_by_2025")):
        upto = sum(v for k, v in bars.items() if k != NO_PEAK and int(k) <= year)
        assert payload[key] == pytest.approx(upto, abs=1e-12)
    percentiles = payload["peak_year_percentiles"]
    assert payload["peak_year_median"] == percentiles["p50"]
    if bars[NO_PEAK] > 0.5:  # the median draw has no peak by the horizon
        assert percentiles["p50"] is None
    # The office's API (a viewer's has confidential medians taken out: test_confidentiality).
    api = api_client(web_app, web_base, "office").get("/api/v1/scenarios/baseline").json()
    for key in ("p_peak_by_2030", "peak_year_distribution", "peak_year_percentiles"):
        assert api[key] == payload[key], key
    marks = ("confidential", "confidential_metrics", "confidential_reasons")
    unmarked = [{k: v for k, v in row.items() if k not in marks} for row in api["targets"]]
    assert unmarked == payload["targets"]
    page = page_client(web_app, "viewer").get("/scenarios", params={"scenario": "baseline"})
    assert page.status_code == 200
    html = page.text
    chip = re.search(r'data-metric="p_peak_by_2030" data-value="([^"]+)"', html)
    assert chip is not None and float(chip.group(1)) == payload["p_peak_by_2030"]
    shown = dict(
        re.findall(
            r'<tr data-year="([^"]+)"><td>[^<]*</td><td class="n" data-value="([^"]+)"', html
        )
    )
    assert {k: float(v) for k, v in shown.items()} == bars
    assert "no_peak_by_horizon" not in re.sub(r'data-year="[^"]*"', "", html)  # labelled
    assert "<td>新能源装机容量</td>" in html  # names and the plan's figures, not identifiers
    assert "<td>new_energy_capacity</td>" not in html and "<td>ge " not in html


def test_target_outlook_for_tracking_is_the_reference_scenarios_run(
    web_base: WebBase, web_app: FastAPI
) -> None:
    plan = load_plan().plan
    outlook = target_outlook(web_base.engine, plan)  # default: the reference scenario
    assert REFERENCE_SCENARIO == "policy"
    api = api_client(web_app, web_base, "office").get("/api/v1/scenarios/policy").json()
    future = {t["target"]: t for t in api["targets"] if t["year"] > api["base_year"]}
    assert set(outlook) == set(future)
    assert {
        "new_energy_capacity_2030",
        "non_fossil_share_2035",
        "energy_intensity_gdp_2025",
    } <= set(outlook)  # the demo base is 2024: 2025 targets are still ahead
    for key, row in outlook.items():
        assert row.scenario == "policy" and row.base_year == 2024
        assert row.probability == future[key]["probability"]
        assert row.median == future[key]["median"]
        assert 0.0 <= row.probability <= 1.0
        if row.unit == "percent" and row.measure == "level":
            assert 0.0 <= row.median <= 100.0
    reduction = outlook["energy_intensity_gdp_2025"]
    assert reduction.unit == "percent" and reduction.measure == "reduction_from_baseline"
    assert 0.0 < reduction.median < 100.0  # a reduction from 2020, not tce/万元


def test_compare_shows_results_and_the_assumption_diff(web_base: WebBase, web_app: FastAPI) -> None:
    office = api_client(web_app, web_base, "office")
    result = office.get(
        "/api/v1/scenarios/compare", params={"ids": ["baseline", "enhanced"], "draws": 300}
    ).json()
    assert [s["scenario"] for s in result["scenarios"]] == ["baseline", "enhanced"]
    differences = {d["assumption"] for d in result["assumptions"][0]["differences"]}
    assert "new_energy_additions" in differences
    assert "projects[olefins_phase_3].process_co2_t" in differences
    # The enhanced scenario does at least as well as the baseline on the peak.
    by_id = {s["scenario"]: s for s in result["scenarios"]}
    assert by_id["enhanced"]["p_peak_by_2030"] >= by_id["baseline"]["p_peak_by_2030"]


PYAM_PYTHON = Path(
    os.environ.get("CARBONPEAK_PYAM_PYTHON", Path(__file__).parents[2] / ".venv-pyam/bin/python")
)
READ_WITH_PYAM = """
import json, sys, warnings
warnings.simplefilter("ignore")
import pyam
frame = pyam.IamDataFrame(sys.argv[1])
co2 = frame.filter(scenario="baseline", variable="Emissions|CO2", year=2024)
print(json.dumps({
    "version": pyam.__version__,
    "scenarios": sorted(frame.scenario),
    "variables": sorted(frame.variable),
    "years": sorted(int(y) for y in frame.year),
    "co2_2024": float(co2.data["value"].iloc[0]),
}))
"""


@pytest.mark.skipif(
    not PYAM_PYTHON.exists(),
    reason="pyam's own venv (.venv-pyam) is absent; CI makes it from constraints-pyam.txt",
)
def test_iamc_export_is_read_by_pyam(
    web_base: WebBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(web_base.engine.url))
    target = tmp_path / "ningdong.xlsx"
    result = CliRunner().invoke(
        cli,
        ["scenario", "export", "baseline", "policy", "--output", str(target), "--draws", "300"],
    )
    assert result.exit_code == 0, result.output
    read = subprocess.run(
        [str(PYAM_PYTHON), "-c", READ_WITH_PYAM, str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(read.stdout)
    assert found["scenarios"] == ["baseline", "policy"]
    assert {"Emissions|CO2", "Emissions|CO2|95th Percentile", "Carbon Capture"} <= set(
        found["variables"]
    )
    assert found["years"][0] == 2020
    assert found["years"][-1] == 2035
    snap = dashboard.snapshot(web_base.engine, load_plan().plan)
    actual = next(v.value for v in snap.values if v.indicator == "co2_emissions" and v.year == 2024)
    assert found["co2_2024"] == pytest.approx(actual / 100)  # 万t → Mt, and history is actual


def test_projections_re_base_when_a_new_full_year_is_accepted(
    web_base: WebBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    base = copy_base(web_base, tmp_path)
    engine, plan = base.engine, plan_document.plan

    def set_december(state: str) -> None:
        with Session(engine) as session, session.begin():
            session.execute(
                update(SubmissionRow).where(SubmissionRow.period == "2024-12").values(state=state)
            )
            AuditWriter(session).append("test", state, "submission", "2024-12", {})

    first = base_year(engine, dashboard.snapshot(engine, plan))
    assert first.year == 2024
    # The benchmark gaps come from the accounted unit-product energy of the base year.
    assert set(first.benchmark_floor) >= {"25", "26"}
    assert all(0.5 < v <= 1.0 for v in first.benchmark_floor.values())
    set_december("returned")  # December not (yet) accepted: 2024 is not a full year
    earlier = base_year(engine, dashboard.snapshot(engine, plan))
    assert earlier.year == 2023
    assert 2024 not in earlier.history["co2_emissions"]
    set_december("accepted")  # the month arrives: the projection re-bases by itself
    later = base_year(engine, dashboard.snapshot(engine, plan))
    assert later.year == 2024
    assert 2024 in later.history["co2_emissions"]
    engine.dispose()


def test_scenarios_are_on_the_boundary_of_the_accounts(
    web_base: WebBase, plan_document: PlanDocument
) -> None:
    """The scenario's history is tracking's (the base by the regional method, not the units'
    sum), and with nothing changing the first projected year is the accounted base year."""
    engine, plan = web_base.engine, plan_document.plan
    snap = dashboard.snapshot(engine, plan)
    assert snap.accounts is not None
    base = base_year(engine, snap)
    tracked = {(v.indicator, v.year): v.value for v in snap.values if v.period is None}
    totals = {
        int(str(r["year"])): r for r in snap.accounts.totals("base", "year").to_dict("records")
    }
    unchanged = load_scenario("baseline")
    nothing = Uncertain(mean=0.0)
    unchanged = unchanged.model_copy(
        update={
            "default_sector": unchanged.default_sector.model_copy(
                update={
                    "output_growth": nothing,
                    "efficiency_gain": nothing,
                    "fuel_factor_change": nothing,
                    "intensity_floor": 0.0,
                }
            ),
            "sectors": {},
            "gdp_growth": nothing,
            "grid_factor_change": nothing,
            "new_energy_additions": (),
            "projects": (),
            "green_hydrogen": unchanged.green_hydrogen.model_copy(update={"steps": ()}),
            "ccus": unchanged.ccus.model_copy(update={"steps": ()}),
        }
    )
    central = project(unchanged, base, deterministic(unchanged, base))
    history_years = range(2020, base.year + 1)
    for indicator in (
        "co2_emissions",
        "non_fossil_share",
        "energy_intensity_gdp",
        "co2_intensity_gdp",
        "coal_consumption",
        "co2_utilisation",
    ):
        years, series = full_series(base, central, indicator)
        for year in history_years:
            assert series[0, years.index(year)] == pytest.approx(
                tracked[(indicator, year)], rel=1e-9
            ), (indicator, year)
    years, energy = full_series(base, central, "energy_consumption")
    for year in history_years:
        expected = float(totals[year]["energy_consumption_tce"]) / WAN
        assert energy[0, years.index(year)] == pytest.approx(expected, rel=1e-9)
    # Not the units' sum, which counts in-base coal power at the plant and at the user.
    units = snap.accounts.totals("enterprise_sum", "year")
    summed = float(units[units["year"].astype(str) == str(base.year)]["co2_net_t"].iloc[0]) / WAN
    assert tracked[("co2_emissions", base.year)] < summed
    # The first projected year, nothing changing, is the accounted base year.
    record = totals[base.year]
    first = {name: float(values[0, 0]) for name, values in central.values.items()}
    assert first["co2_emissions"] == pytest.approx(float(record["co2_net_t"]) / WAN, rel=1e-9)
    assert first["energy_consumption"] == pytest.approx(
        float(record["energy_consumption_tce"]) / WAN, rel=1e-9
    )
    assert first["non_fossil_share"] == pytest.approx(
        float(record["non_fossil_share_pct"]), rel=1e-9
    )
    assert first["coal_consumption"] == pytest.approx(float(record["coal_t"]) / WAN, rel=1e-9)
    assert first["net_imported_electricity"] == pytest.approx(
        float(record["net_imported_electricity_mwh"]), rel=1e-9
    )
    assert first["net_imported_electricity"] < 0  # the demo base is a net exporter
