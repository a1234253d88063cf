"""carbonpeak account: energy and CO2 per enterprise and period with a base total."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carbonpeak.cli import app

runner = CliRunner()
DOC_EXAMPLE_ROWS = """enterprise,facility,sector,period,item,role,quantity,unit,purpose
E1,MTO,2614,2024-01,bituminous_coal,energy_input,1000,t,feedstock
E1,MTO,2614,2024-01,bituminous_coal,energy_input,200,t,fuel
E1,MTO,2614,2024-02,electricity,energy_input,5,MWh,
E1,MTO,2614,2024-02,olefins,product_output,200,t,
P1,U1,4411,2024-01,bituminous_coal,energy_input,10,万t,fuel
P1,U1,4411,2024-01,electricity,electricity_supplied,22,万kWh,
"""


@pytest.fixture
def activity(tmp_path: Path) -> Path:
    path = tmp_path / "activity.csv"
    path.write_text(DOC_EXAMPLE_ROWS, encoding="utf-8")
    return path


def test_account_json_per_enterprise_and_period_with_base_total(activity: Path) -> None:
    result = runner.invoke(app, ["account", str(activity), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["factor_set"] == "ningxia"
    assert "gbt2589@2020" in payload["datasets"]
    keys = [(r["enterprise"], r["period"]) for r in payload["rows"]]
    assert keys == [("E1", "2024-01"), ("E1", "2024-02"), ("P1", "2024-01")]
    base = {r["period"]: r for r in payload["base"]}
    january = [r for r in payload["rows"] if r["period"] == "2024-01"]
    # The base total is the regional view: the units' direct CO2, the plant's 220 MWh supplied
    # in January a net export (no unit bought power that month), at Ningxia 2023.
    direct = sum(r["co2_direct_t"] for r in january)
    assert base["2024-01"]["co2_direct_t"] == pytest.approx(direct)
    assert base["2024-01"]["co2_total_t"] == pytest.approx(direct - 220 * 0.6187)
    assert payload["units"]["co2_total_t"] == "tCO2"
    assert all(f["status"] for f in payload["factors"])


def test_account_table_and_csv(activity: Path) -> None:
    table = runner.invoke(app, ["account", str(activity), "--frequency", "year"])
    assert table.exit_code == 0
    assert "全基地 BASE" in table.stdout and "unverified" in table.stdout
    csv = runner.invoke(app, ["account", str(activity), "-f", "csv", "--level", "facility"])
    lines = csv.stdout.strip().splitlines()
    assert lines[0].startswith("enterprise,facility,sector,period,energy_gross_tce")
    assert len(lines) == 1 + 3 + 2  # header, three facility-months, two base months


def test_account_other_factor_set_and_compare(activity: Path) -> None:
    report = json.loads(
        runner.invoke(
            app, ["account", str(activity), "--compare", "national_ets", "-f", "json"]
        ).stdout
    )
    assert report["new_factor_set"] == "national_ets"
    assert any("mee_ets_grid" in f["source"] for f in report["factors_added"])
    unknown = runner.invoke(app, ["account", str(activity), "--factors", "martian"])
    assert unknown.exit_code == 2
    assert "unknown factor set" in unknown.stderr


def test_account_lineage(activity: Path) -> None:
    trail = json.loads(
        runner.invoke(app, ["account", str(activity), "--lineage", "P1", "--period", "2024"]).stdout
    )
    assert [row["row"] for row in trail["inputs"]] == [6, 7]
    assert trail["totals"]["energy_gross_tce"] == pytest.approx(71430)


def test_account_rejects_bad_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        DOC_EXAMPLE_ROWS.replace("1000,t,feedstock", "-1000,t,feedstock"), encoding="utf-8"
    )
    result = runner.invoke(app, ["account", str(path)])
    assert result.exit_code == 1
    assert "row 2, column quantity" in result.stderr and "negative" in result.stderr


def test_publication_commands(
    activity: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", f"sqlite:///{tmp_path / 'pub.sqlite3'}")
    published = runner.invoke(app, ["publication", "publish", "2024-q1", str(activity)])
    assert published.exit_code == 0, published.output
    assert "2024-q1 v1" in published.stdout
    dry = runner.invoke(
        app, ["publication", "restate", "2024-q1", str(activity), "--factors", "national_average"]
    )
    assert dry.exit_code == 0 and "stays frozen" in dry.stderr
    applied = runner.invoke(
        app,
        [
            "publication",
            "restate",
            "2024-q1",
            str(activity),
            "--factors",
            "national_average",
            "--reason",
            "policy change",
        ],
    )
    assert applied.exit_code == 0 and "v2 published" in applied.stderr
    listed = json.loads(runner.invoke(app, ["publication", "list", "-f", "json"]).stdout)
    assert [(r["version"], r["factor_set"]) for r in listed] == [
        (1, "ningxia"),
        (2, "national_average"),
    ]


def test_account_benchmark(tmp_path: Path) -> None:
    path = tmp_path / "methanol.csv"
    path.write_text(
        "enterprise,facility,sector,period,item,role,quantity,unit,purpose\n"
        "M1,A,2614,2024-01,bituminous_coal,energy_input,2100,t,feedstock\n"
        "M1,A,2614,2024-01,methanol,product_output,1000,t,\n",
        encoding="utf-8",
    )
    payload = json.loads(
        runner.invoke(app, ["account", str(path), "--benchmark", "-f", "json"]).stdout
    )
    facility = payload["facilities"][0]
    assert facility["unit_value"] == pytest.approx(2100 * 0.7143)  # 1500 kgce/t
    assert facility["position"] == "between_benchmark_and_baseline"
    assert payload["shares"][0]["share_pct"] == 0


def test_account_base_level_reports_the_total_and_its_parts(activity: Path) -> None:
    result = runner.invoke(
        app, ["account", str(activity), "--level", "base", "-f", "json", "--frequency", "year"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    (base,) = payload["rows"]
    assert payload["rows"] == payload["base"]
    # The plant supplies 220 MWh, E1 buys 5: a net export of 215 MWh at Ningxia 2023.
    assert base["net_imported_electricity_mwh"] == pytest.approx(5 - 220)
    assert base["co2_net_imported_electricity_t"] == pytest.approx((5 - 220) * 0.6187)
    assert base["co2_net_t"] == pytest.approx(
        base["co2_direct_t"]
        + base["co2_net_imported_electricity_t"]
        + base["co2_net_imported_heat_t"]
        - base["co2_captured_t"]
    )
    assert payload["units"]["co2_net_imported_electricity_t"] == "tCO2"
    assert "net exporter" in payload["level_note"]
    units = json.loads(
        runner.invoke(
            app, ["account", str(activity), "--level", "enterprise_sum", "-f", "json"]
        ).stdout
    )
    assert "not a base total" in units["level_note"]
    table = runner.invoke(app, ["account", str(activity), "--level", "base"])
    assert table.exit_code == 0 and "净调入电力" in table.stdout
