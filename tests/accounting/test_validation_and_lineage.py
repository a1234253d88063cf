"""Bad input is rejected whole with row and column; lineage, checks, restatement, benchmarks."""

from pathlib import Path

import pandas as pd
import pytest

from carbonpeak.accounting import (
    account,
    benchmark_capacity_share,
    check,
    lineage,
    parse_activity,
    read_activity,
    restate,
    unit_product_energy,
)
from carbonpeak.datafile import DataFileError
from tests.accounting.helpers import accounted, table

GOOD = {"role": "energy_input", "item": "bituminous_coal", "quantity": "10", "unit": "t"}


@pytest.mark.parametrize(
    ("bad", "where", "message"),
    [
        ({"item": "moon_rock"}, "column item", "unknown item"),
        ({"role": "burnt"}, "column role", "unknown role"),
        ({"quantity": "十吨"}, "column quantity", "not a number"),
        ({"quantity": "-5"}, "column quantity", "negative quantity"),
        ({"unit": "MWh"}, "column unit", "unit does not fit the item"),
        ({"unit": "吨吨"}, "column unit", "unit does not fit the item"),
        ({"period": "2024-13"}, "column period", "not a month"),
        ({"period": "2024/03"}, "column period", "not a month"),
        ({"purpose": "decoration"}, "column purpose", "purpose does not fit"),
        ({"enterprise": ""}, "column enterprise", "empty"),
        ({"ncv": "20", "ncv_unit": "kg"}, "column ncv_unit", "NCV unit does not fit"),
        ({"oxidation_rate": "93"}, "column oxidation_rate", "out of range"),
        ({"green_certificate": "maybe"}, "column green_certificate", "not a boolean"),
        ({"green_certificate": "true"}, "column green_certificate", "only electricity"),
        ({"sector": "26A"}, "column sector", "not a GB/T 4754 code"),
        ({"parameters": "colour=7"}, "column parameters", "bad parameter"),
        ({"role": "product_output", "item": "clinker"}, "column parameters", "CaO and MgO"),
        ({"role": "carbonate_input"}, "column role", "cannot have this role"),
        (
            {"role": "carbon_output", "item": "carbon_bearing_output"},
            "column carbon_content",
            "measured carbon content",
        ),
    ],
)
def test_malformed_rows_name_row_and_column(bad: dict, where: str, message: str) -> None:
    frame = table(GOOD, {**GOOD, **bad})
    with pytest.raises(DataFileError) as caught:
        parse_activity(frame, "upload.csv")
    text = str(caught.value)
    assert text.startswith("upload.csv:")
    assert f"row 3, {where}" in text, text
    assert message in text


def test_every_problem_is_listed_not_just_the_first() -> None:
    frame = table({**GOOD, "item": "x"}, {**GOOD, "quantity": "-1"}, {**GOOD, "period": "bad"})
    with pytest.raises(DataFileError) as caught:
        parse_activity(frame)
    assert len(caught.value.problems) == 3


def test_missing_and_unknown_columns() -> None:
    frame = table(GOOD).drop(columns=["unit"]).assign(colour="red")
    with pytest.raises(DataFileError) as caught:
        parse_activity(frame)
    text = str(caught.value)
    assert "missing column" in text and "'colour'" in text


def test_range_coefficient_needs_measured_ncv() -> None:
    with pytest.raises(DataFileError, match=r"row 2, column item.*no standard-coal coefficient"):
        accounted({**GOOD, "item": "coke_oven_gas", "unit": "万Nm3"})
    result = accounted(
        {**GOOD, "item": "coke_oven_gas", "unit": "万Nm3", "ncv": "17", "ncv_unit": "MJ/Nm3"}
    )
    assert result.totals("base")["energy_gross_tce"].iloc[0] == pytest.approx(
        10 * 17 * 1e4 / 1000 / 29.3076
    )


def test_read_activity_csv_parquet_and_non_utf8(tmp_path: Path) -> None:
    frame = table(GOOD)
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_parquet(tmp_path / "a.parquet")
    from_csv, from_parquet = (
        read_activity(tmp_path / "a.csv"),
        read_activity(tmp_path / "a.parquet"),
    )
    assert from_csv["quantity"].tolist() == from_parquet["quantity"].tolist() == [10.0]
    (tmp_path / "gbk.csv").write_bytes(
        "enterprise,period,item,role,quantity,unit\n宁东,2024-01,bituminous_coal,energy_input,1,吨\n".encode(
            "gbk"
        )
    )
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_activity(tmp_path / "gbk.csv")


def test_lineage_lists_inputs_methods_and_factors_with_status() -> None:
    result = accounted(
        {**GOOD, "quantity": "100"},
        {"role": "energy_input", "item": "electricity", "quantity": "50", "unit": "MWh"},
        {**GOOD, "enterprise": "E2"},
    )
    trail = lineage(result, "E1", "2024")
    assert trail["factor_set"] == "ningxia"
    assert len(trail["inputs"]) == 2
    sources = {f["source"]: f["status"] for f in trail["factors"]}
    assert sources["gbt2589@2020:raw_coal"] == "unverified"
    assert sources["mee_nbs_electricity@2023:ningxia_average"] == "unverified"
    assert "ndrc_guideline_defaults@2013:bituminous_coal.ncv" in sources
    assert trail["totals"]["co2_electricity_t"] == pytest.approx(50 * 0.6187)
    coal = trail["inputs"][0]
    assert coal["row"] == 2 and coal["contributions"]["energy_gross_tce"] == pytest.approx(71.43)
    with pytest.raises(KeyError):
        lineage(result, "nobody")


def test_checks_flag_reported_totals_and_carbon_balance() -> None:
    result = accounted(
        {**GOOD, "quantity": "100"},
        {
            "role": "reported_energy_total",
            "item": "comprehensive_energy",
            "quantity": "90",
            "unit": "tce",
        },
        {
            "role": "energy_input",
            "item": "bituminous_coal",
            "quantity": "10",
            "unit": "t",
            "purpose": "feedstock",
            "facility": "F2",
        },
        {
            "role": "product_output",
            "item": "olefins",
            "quantity": "100",
            "unit": "t",
            "facility": "F2",
        },
    )
    problems = [str(p) for p in check(result)]
    assert any("reported total" in p and "90.0 tce" in p for p in problems)
    assert any("more carbon out than in" in p and "F2" in p for p in problems)
    assert not any("roll-up" in p for p in problems)


def test_check_one_sector_per_enterprise() -> None:
    result = accounted(GOOD, {**GOOD, "sector": "4411"})
    assert any("more than one sector" in str(p) for p in check(result))


def test_restatement_reports_changed_factors_and_values() -> None:
    activity = parse_activity(
        table(
            {
                "role": "energy_input",
                "item": "electricity",
                "quantity": "1000",
                "unit": "MWh",
                "period": "2022-01",
            }
        )
    )
    report = restate(account(activity, "ningxia"), account(activity, "northwest"))
    assert [f["source"] for f in report.factors_removed] == [
        "mee_nbs_electricity@2022:ningxia_average"
    ]
    assert [f["source"] for f in report.factors_added] == [
        "mee_nbs_electricity@2022:northwest_average"
    ]
    change = report.changes["co2_total_t_change"].iloc[0]
    assert change == pytest.approx(1000 * (0.5857 - 0.6423))
    assert report.changes["energy_gross_tce_change"].iloc[0] == 0


def test_benchmarking_positions_and_capacity_share() -> None:
    rows = []
    # Methanol A: 1381.7 kgce/t (at benchmark 1400); methanol B: 1596.0 (between 1400 and 1800).
    for facility, coal, product in (("A", 1500, 1000), ("B", 1800, 1000)):
        rows += [
            {
                "facility": facility,
                "role": "energy_input",
                "item": "bituminous_coal",
                "quantity": str(coal),
                "unit": "t",
                "purpose": "feedstock",
            },
            {
                "facility": facility,
                "role": "energy_input",
                "item": "bituminous_coal",
                "quantity": "400",
                "unit": "t",
            },
            {
                "facility": facility,
                "role": "energy_input",
                "item": "electricity",
                "quantity": "200",
                "unit": "MWh",
            },
            {
                "facility": facility,
                "role": "product_output",
                "item": "methanol",
                "quantity": str(product),
                "unit": "t",
            },
        ]
    rows.append(
        {
            "facility": "AL",
            "enterprise": "E9",
            "sector": "3216",
            "role": "energy_input",
            "item": "electricity",
            "quantity": "13100",
            "unit": "MWh",
        }
    )
    rows.append(
        {
            "facility": "AL",
            "enterprise": "E9",
            "sector": "3216",
            "role": "product_output",
            "item": "aluminium",
            "quantity": "1000",
            "unit": "t",
        }
    )
    result = accounted(*rows)
    values = unit_product_energy(result)
    benchmark = values[values["levels"].str.startswith("ndrc_benchmark")].set_index("facility")
    a = (1500 * 0.7143 + 400 * 0.7143 + 200 * 0.1229) / 1000 * 1000
    assert benchmark.loc["A", "unit_value"] == pytest.approx(a)
    assert benchmark.loc["A", "position"] == "at_benchmark"
    assert benchmark.loc["B", "position"] == "between_benchmark_and_baseline"
    assert benchmark.loc["AL", "unit_value"] == pytest.approx(13100)
    assert benchmark.loc["AL", "position"] == "between_benchmark_and_baseline"
    limits = values[values["levels"].str.startswith("gb_limit")].set_index("facility")
    assert limits.loc["A", "position"] == "level_2"  # 1381.7 > level 1 (1380) of GB 29436
    share = benchmark_capacity_share(values).set_index("product")
    assert share.loc["methanol", "share_pct"] == pytest.approx(50.0)
    capacities = pd.DataFrame(
        {
            "enterprise": ["E1", "E1", "E9"],
            "facility": ["A", "B", "AL"],
            "capacity": [60.0, 20.0, 10.0],
        }
    )
    weighted = benchmark_capacity_share(values, capacities).set_index("product")
    assert weighted.loc["methanol", "share_pct"] == pytest.approx(75.0)
    assert weighted.loc["methanol", "weighting"] == "capacity"
