"""Values an indicator cannot take are refused where they enter: the service the API and the
pages call, and the CLI, each naming the indicator, the allowed range and the value found."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from carbonpeak.cli import app
from carbonpeak.plan import PlanDocument
from carbonpeak.services.indicator_reports import (
    IndicatorReportError,
    indicator_reports,
    report_indicator,
)
from carbonpeak.services.plans import register_plan
from carbonpeak.storage import upgrade


@pytest.fixture
def store(engine: Engine, plan_document: PlanDocument) -> Engine:
    upgrade(engine)
    register_plan(engine, plan_document)
    return engine


@pytest.mark.parametrize(
    ("indicator", "value", "unit", "by", "expected"),
    [
        ("green_factory_count", 4.5, "家", "经济发展局", "non-negative whole number"),
        ("public_charging_piles", -3, "台", "建设和交通局", "non-negative whole number"),
        ("rail_freight_share", 150, "percent", "建设和交通局", "percentage from 0 to 100"),
        ("rail_freight_share", -1, "percent", "建设和交通局", "percentage from 0 to 100"),
        ("new_energy_storage_capacity", -5, "万千瓦", "经济发展局", "not below 0"),
        ("rail_freight_share", float("inf"), "percent", "建设和交通局", "finite"),
    ],
)
def test_impossible_values_are_refused(
    store: Engine,
    plan_document: PlanDocument,
    indicator: str,
    value: float,
    unit: str,
    by: str,
    expected: str,
) -> None:
    with pytest.raises(IndicatorReportError, match=expected) as caught:
        report_indicator(store, plan_document.plan, indicator, 2025, value, unit, by, "clerk")
    assert indicator in str(caught.value)
    if value == value and abs(value) != float("inf"):
        assert repr(float(value)) in str(caught.value) or repr(value) in str(caught.value)
    assert indicator_reports(store).empty  # nothing written


def test_a_share_in_another_unit_is_checked_in_the_indicator_unit(
    store: Engine, plan_document: PlanDocument
) -> None:
    # 0.45 (dimensionless) is 45 %; 1.5 is 150 % and refused.
    report_indicator(
        store,
        plan_document.plan,
        "rail_freight_share",
        2025,
        0.45,
        "dimensionless",
        "建设和交通局",
        "clerk",
    )
    with pytest.raises(IndicatorReportError, match="0 to 100"):
        report_indicator(
            store,
            plan_document.plan,
            "rail_freight_share",
            2024,
            1.5,
            "dimensionless",
            "建设和交通局",
            "clerk",
        )


def test_the_cli_refuses_a_fractional_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CARBONPEAK_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "report-indicator",
            "green_factory_count",
            "2025",
            "4.5",
            "--unit",
            "家",
            "--by",
            "经济发展局",
        ],
    )
    assert result.exit_code != 0
    assert "green_factory_count" in result.output + result.stderr
    assert "whole number" in result.output + result.stderr
    assert "4.5" in result.output + result.stderr
    share = runner.invoke(
        app,
        [
            "report-indicator",
            "rail_freight_share",
            "2025",
            "150",
            "--unit",
            "percent",
            "--by",
            "建设和交通局",
        ],
    )
    assert share.exit_code != 0
    assert "0 to 100" in share.output + share.stderr
