"""The command line, run in-process, with the database in a temporary directory."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carbonpeak.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def private_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("CARBONPEAK_PLAN", raising=False)
    return path


def test_plan_targets_json_lists_every_target_with_required_fields() -> None:
    result = runner.invoke(app, ["plan", "targets", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) >= 40
    required = {
        "id",
        "indicator",
        "name_zh",
        "name_en",
        "year",
        "value",
        "unit",
        "comparator",
        "baseline_year",
        "strength",
        "clause",
        "responsible_units",
    }
    for row in rows:
        assert required <= row.keys()
        assert row["clause"] and row["responsible_units"]
    assert {r["id"]: r["comparator"] for r in rows}["non_fossil_share_2025"] == "approx"


def test_plan_targets_filters_by_year_and_writes_csv() -> None:
    result = runner.invoke(app, ["plan", "targets", "--year", "2035", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("id,indicator,name_zh,name_en,year")
    assert len(lines) == 2 and "non_fossil_share_2035" in lines[1]


def test_plan_tasks_of_the_economic_development_bureau() -> None:
    result = runner.invoke(app, ["plan", "tasks", "--unit", "经济发展局", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 28
    assert all(row["action"] and row["action_title_zh"] for row in rows)
    table = runner.invoke(app, ["plan", "tasks", "--unit", "经济发展局"])
    assert "大力发展新能源产业" in table.stdout and "三(一)" in table.stdout


def test_unknown_unit_is_a_usage_error() -> None:
    result = runner.invoke(app, ["plan", "tasks", "--unit", "火星局"])
    assert result.exit_code == 2
    assert "火星局" in result.stderr and "经济发展局" in result.stderr


def test_plan_validate_and_show() -> None:
    from carbonpeak.plan import default_plan_path

    result = runner.invoke(app, ["plan", "validate", str(default_plan_path())])
    assert result.exit_code == 0
    assert "40 targets" in result.stdout and "35 tasks" in result.stdout
    shown = runner.invoke(app, ["plan", "show"])
    assert shown.exit_code == 0 and "宁东能源化工基地碳达峰实施方案" in shown.stdout


def test_plan_validate_reports_problems_and_fails(tmp_path: Path) -> None:
    from carbonpeak.plan import default_plan_path

    text = default_plan_path().read_text(encoding="utf-8")
    broken = tmp_path / "plan.yaml"
    broken.write_text(
        text.replace("value: 700, unit: 万千瓦", "value: 700, unit: 万吨"), encoding="utf-8"
    )
    (tmp_path / "source-2023-11-01.txt").write_text(
        (default_plan_path().parent / "source-2023-11-01.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["plan", "validate", str(broken)])
    assert result.exit_code == 1
    assert str(broken) in result.stderr
    assert "new_energy_capacity_2025" in result.stderr and "万吨" in result.stderr


def test_db_upgrade_and_plan_register(private_database: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert private_database.exists()
    first = runner.invoke(app, ["plan", "register"])
    again = runner.invoke(app, ["plan", "register"])
    assert first.exit_code == again.exit_code == 0
    assert "registered" in first.stdout and "unchanged" in again.stdout


def test_reference_list_and_show() -> None:
    listed = json.loads(runner.invoke(app, ["reference", "list", "-f", "json"]).stdout)
    assert {row["dataset"] for row in listed} >= {"gbt2589@2008", "mee_nbs_electricity@2022"}
    shown = json.loads(
        runner.invoke(
            app, ["reference", "show", "gbt2589", "--edition", "2008", "-f", "json"]
        ).stdout
    )
    electricity = next(r for r in shown if r["key"] == "electricity")
    assert electricity["coefficient"] == {"value": 0.1229, "unit": "kgce/kWh"}
    assert runner.invoke(app, ["reference", "show", "nothing"]).exit_code == 2
