from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.units import (
    Quantity,
    UnitError,
    is_compatible,
    parse_stated_quantity,
    parse_unit,
    to_magnitude,
)

# The same quantity written two ways (glossary.md "Units the plan uses").
EQUIVALENTS = [
    (1, "万千瓦", 10, "MW"),
    (1, "万吨", 10_000, "t"),
    (1, "万吨标准煤", 10_000, "tce"),
    (1, "万tce", 10_000_000, "kgce"),
    (1, "亿元", 10_000, "万元"),
    (1, "亿千瓦时", 100, "GWh"),
    (1, "万Nm³", 10_000, "Nm3"),
    (300, "克标煤/千瓦时", 300, "gce/kWh"),
    (1, "gce/kWh", 1, "kgce/MWh"),
    (1, "tC", 44 / 12, "tCO2"),
    (1, "tCO2/MWh", 1, "kgCO2/kWh"),
    (1, "GJ", 1000, "MJ"),
    (1, "亩", 10_000 / 15, "平方米"),
]


@pytest.mark.parametrize(("value", "unit", "expected", "target"), EQUIVALENTS)
def test_chinese_statistical_units_convert(
    value: float, unit: str, expected: float, target: str
) -> None:
    assert to_magnitude(value, unit, target) == pytest.approx(expected, rel=1e-12)


def test_standard_coal_is_not_silently_energy() -> None:
    # GB/T 2589 tabulates 0.1229 kgce/kWh; deriving it from 29.3076 MJ/kgce would give 0.12283.
    assert not is_compatible("tce", "GJ")
    with pytest.raises(UnitError, match="cannot convert"):
        to_magnitude(1, "kWh", "kgce")
    # The explicit context converts at 29.3076 GJ/tce.
    assert Quantity(1, "tce").to("GJ", "coal_equivalent_heat").magnitude == pytest.approx(29.3076)


def test_co2_and_coal_tonnes_do_not_mix() -> None:
    assert not is_compatible("tCO2", "t")
    assert not is_compatible("tCO2", "tce")


def test_unknown_unit_names_the_unit() -> None:
    with pytest.raises(UnitError, match="'万千卡车'"):
        parse_unit("万千卡车")


@pytest.mark.parametrize(
    ("stated", "value", "unit"),
    [
        ("700万千瓦", Decimal(700), "万千瓦"),
        ("百万吨", Decimal(1_000_000), "吨"),
        ("8万吨/年", Decimal(8), "万吨"),
        ("57 万吨", Decimal(57), "万吨"),
        ("300克标煤/千瓦时", Decimal(300), "克标煤/千瓦时"),
        ("65 台", Decimal(65), "台"),
        ("8%", Decimal(8), "percent"),
        ("1.2", Decimal("1.2"), "dimensionless"),
        ("全部", Decimal(100), "percent"),
    ],
)
def test_stated_figures_parse(stated: str, value: Decimal, unit: str) -> None:
    assert parse_stated_quantity(stated) == (value, unit)


def test_stated_figure_without_number_is_an_error() -> None:
    with pytest.raises(UnitError, match="no number"):
        parse_stated_quantity("标杆水平")


@given(st.floats(min_value=1e-6, max_value=1e9), st.floats(min_value=1e-3, max_value=1e3))
def test_unit_scaling_is_linear(value: float, factor: float) -> None:
    # Converting k·x equals k times converting x, for every unit pair we rely on.
    for unit, _, _, target in ((u, v, e, t) for v, u, e, t in EQUIVALENTS):
        scaled = to_magnitude(value * factor, unit, target)
        assert scaled == pytest.approx(to_magnitude(value, unit, target) * factor, rel=1e-9)


@given(st.floats(min_value=1e-6, max_value=1e12))
def test_round_trip_returns_the_original(value: float) -> None:
    for _, unit, _, target in EQUIVALENTS:
        back = to_magnitude(to_magnitude(value, unit, target), target, unit)
        assert back == pytest.approx(value, rel=1e-12)
