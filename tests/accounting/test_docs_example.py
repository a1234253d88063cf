"""The worked example in docs/accounting.md is recomputed from the doc itself."""

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from carbonpeak.accounting import account, items, lineage, parse_activity

DOC = Path(__file__).resolve().parents[2] / "docs" / "accounting.md"


def test_worked_coal_to_olefins_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    csv = re.search(r"```csv\n(.*?)```", text, re.S)
    assert csv is not None
    raw = pd.read_csv(io.StringIO(csv.group(1)), dtype=str, keep_default_na=False)
    totals = account(parse_activity(raw, "docs/accounting.md"), "ningxia").totals("enterprise")
    results = dict(re.findall(r"^\| (\w+) \| ([\d.]+) \|$", text, re.M))
    assert len(results) == 12
    for metric, value in results.items():
        assert float(totals[metric].iloc[0]) == pytest.approx(float(value), abs=0.005), metric


def test_worked_base_of_three_units() -> None:
    """The base boundary example: the CSV and the results table after its heading."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Worked example: a base of three units") :]
    csv = re.search(r"```csv\n(.*?)```", section, re.S)
    assert csv is not None
    raw = pd.read_csv(io.StringIO(csv.group(1)), dtype=str, keep_default_na=False)
    result = account(parse_activity(raw, "docs/accounting.md"), "ningxia")
    columns = {
        "enterprise sum": result.totals("enterprise_sum").iloc[0],
        "base": result.totals("base").iloc[0],
    }
    rows = re.findall(r"^\| (\w+) \| (—|-?[\d.]+) \| (-?[\d.]+) \|$", section, re.M)
    assert len(rows) == 10
    for metric, units_sum, base in rows:
        if units_sum != "—":
            assert columns["enterprise sum"][metric] == pytest.approx(
                float(units_sum), abs=0.005
            ), metric
        assert columns["base"][metric] == pytest.approx(float(base), abs=0.005), metric


def test_every_item_and_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for key in items():
        assert f"`{key}`" in text, key
    for column in (
        "enterprise",
        "facility",
        "sector",
        "period",
        "item",
        "role",
        "quantity",
        "unit",
        "purpose",
        "ncv",
        "carbon_content",
        "oxidation_rate",
        "green_certificate",
        "parameters",
    ):
        assert f"`{column}`" in text, column


def test_base_lineage_lists_the_parts_and_the_factors_of_the_boundary() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Worked example: a base of three units") :]
    csv = re.search(r"```csv\n(.*?)```", section, re.S)
    assert csv is not None
    raw = pd.read_csv(io.StringIO(csv.group(1)), dtype=str, keep_default_na=False)
    trail = lineage(account(parse_activity(raw, "docs/accounting.md"), "ningxia"))
    assert trail["base"]["co2_net_t"] == pytest.approx(63781.21, abs=0.005)
    assert trail["base"]["net_imported_electricity_mwh"] == pytest.approx(-232000)
    sources = {f["source"] for f in trail["factors"]}
    assert "mee_nbs_electricity@2023:ningxia_average" in sources  # the base's net export
    # the chemical plant deducts green power: its other grid power at the excluding factor
    assert "mee_nbs_electricity@2023:national_excluding_market_non_fossil" in sources
    assert "ndrc_default_heat@2013:purchased_heat" in sources
