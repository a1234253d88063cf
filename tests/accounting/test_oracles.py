"""Published values (../shared/reference/accounting.md) and hand-worked cases."""

import pytest

from carbonpeak.accounting import check
from tests.accounting.helpers import accounted, total

ROW = {"role": "energy_input"}


@pytest.mark.parametrize(
    ("item", "quantity", "unit", "tce"),
    [
        ("bituminous_coal", 1, "t", 0.7143),
        ("washed_coal", 1, "t", 0.9000),
        ("coke", 1, "t", 0.9714),
        ("diesel", 1, "t", 1.4571),
        ("gasoline", 1, "t", 1.4714),
        ("lpg", 1, "t", 1.7143),
        ("natural_gas", 1, "万Nm3", 12.143),
        ("electricity", 1, "MWh", 0.1229),
        ("electricity", 10_000, "kWh", 1.229),
        ("heat", 1000, "MJ", 0.03412),
    ],
)
def test_gbt2589_coefficients(item: str, quantity: float, unit: str, tce: float) -> None:
    result = accounted({**ROW, "item": item, "quantity": quantity, "unit": unit})
    assert total(result, "energy_gross_tce") == pytest.approx(tce, rel=1e-9)


# accounting.md §2.3: NCV (GB/T 2589) × CC × OF × 44/12 per kg, from the compact published table.
@pytest.mark.parametrize(
    ("item", "ncv_kj", "cc_tc_per_tj", "oxidation", "kgco2_per_kg"),
    [
        ("bituminous_coal", 20908, 26.37, 0.94, 1.9003),  # 原煤
        ("coke", 28435, 29.5, 0.93, 2.8604),
        ("fuel_oil", 41816, 21.1, 0.98, 3.1705),
        ("gasoline", 43070, 18.9, 0.98, 2.9251),
        ("diesel", 42652, 20.2, 0.98, 3.0959),
        ("lpg", 50179, 17.2, 0.98, 3.1013),
    ],
)
def test_published_per_fuel_emission_factors(
    item: str, ncv_kj: float, cc_tc_per_tj: float, oxidation: float, kgco2_per_kg: float
) -> None:
    result = accounted(
        {
            **ROW,
            "item": item,
            "quantity": 1000,
            "unit": "kg",
            "ncv": ncv_kj,
            "ncv_unit": "kJ/kg",
            "carbon_content": cc_tc_per_tj,
            "carbon_content_unit": "tC/TJ",
            "oxidation_rate": oxidation,
        }
    )
    assert total(result, "co2_combustion_t") == pytest.approx(kgco2_per_kg, abs=1e-4)


def test_oilfield_gas_published_factor_per_cubic_metre() -> None:
    # 油田天然气 38 931 kJ/m³, 15.3 tC/TJ, 0.99 → 2.1622 kgCO2/m³.
    result = accounted(
        {
            **ROW,
            "item": "natural_gas",
            "quantity": 1,
            "unit": "Nm3",
            "ncv": 38931,
            "ncv_unit": "kJ/Nm3",
            "carbon_content": 15.3,
            "carbon_content_unit": "tC/TJ",
            "oxidation_rate": 0.99,
        }
    )
    assert total(result, "co2_combustion_t") * 1000 == pytest.approx(2.1622, abs=1e-4)
    # With measured NCV, tce follows the 29.3076 MJ/kgce definition.
    assert total(result, "energy_gross_tce") * 1000 == pytest.approx(38.931 / 29.3076, rel=1e-9)


def test_ndrc_natural_gas_default() -> None:
    # 389.31 GJ/10⁴Nm³ × 0.01530 tC/GJ × 0.99 × 44/12 = 21.622 t CO2 per 10⁴ Nm³.
    result = accounted({**ROW, "item": "natural_gas", "quantity": 1, "unit": "万Nm3"})
    assert total(result, "co2_combustion_t") == pytest.approx(389.31 * 0.0153 * 0.99 * 44 / 12)


@pytest.mark.parametrize(
    ("factors", "period", "per_mwh"),
    [
        ("national_average", "2022-06", 0.5366),
        ("national_average", "2021-06", 0.5568),
        ("northwest", "2022-06", 0.5857),
        ("northwest", "2023-06", 0.5543),
        ("northwest", "2025-06", 0.5543),  # latest published factor carries forward
        ("northwest", "2020-06", 0.5951),  # earliest published factor carries back
        ("ningxia", "2022-06", 0.6423),
        ("national_ets", "2021-06", 0.5810),
        ("national_ets", "2023-06", 0.5703),
        ("national_excluding_market_non_fossil", "2022-06", 0.5856),
    ],
)
def test_indirect_electricity(factors: str, period: str, per_mwh: float) -> None:
    result = accounted(
        {**ROW, "item": "electricity", "quantity": 1000, "unit": "MWh", "period": period},
        factors=factors,
    )
    assert total(result, "co2_electricity_t") == pytest.approx(1000 * per_mwh)
    assert total(result, "co2_direct_t") == 0


def test_indirect_heat_and_net_purchase() -> None:
    result = accounted(
        {**ROW, "item": "heat", "quantity": 1000, "unit": "GJ"},
        {"role": "energy_output", "item": "heat", "quantity": 200, "unit": "GJ"},
    )
    assert total(result, "co2_heat_t") == pytest.approx(800 * 0.11)
    assert total(result, "energy_gross_tce") == pytest.approx(800 * 1000 * 0.03412 / 1000)


def test_green_power_market_based_and_location_based() -> None:
    row = {
        **ROW,
        "item": "electricity",
        "quantity": 100,
        "unit": "MWh",
        "green_certificate": "true",
    }
    market = accounted(row, factors="northwest")
    location = accounted(row, factors="national_average")
    assert total(market, "co2_electricity_t") == 0
    assert total(location, "co2_electricity_t") == pytest.approx(100 * 0.5306)
    # Either way the certified power is non-fossil, at the year's supply coal rate.
    assert total(market, "non_fossil_tce") == pytest.approx(100 * 0.3016)
    assert total(market, "non_fossil_share_pct") == pytest.approx(100.0)


def test_hand_worked_coal_to_olefins_carbon_balance() -> None:
    result = accounted(
        {
            **ROW,
            "item": "bituminous_coal",
            "quantity": 1000,
            "unit": "t",
            "purpose": "feedstock",
            "carbon_content": 0.6,
            "carbon_content_unit": "tC/t",
        },
        {"role": "product_output", "item": "olefins", "quantity": 200, "unit": "t"},
        {
            "role": "carbon_output",
            "item": "carbon_bearing_output",
            "quantity": 100,
            "unit": "t",
            "carbon_content": 0.05,
            "carbon_content_unit": "tC/t",
        },
    )
    # (1000 × 0.6 − 200 × 12/14 − 100 × 0.05) × 44/12
    expected = (600 - 200 * 12 / 14 - 5) * 44 / 12
    assert total(result, "co2_mass_balance_t") == pytest.approx(expected)
    assert total(result, "feedstock_energy_tce") == pytest.approx(714.3)
    assert total(result, "energy_consumption_tce") == pytest.approx(0)
    assert total(result, "co2_combustion_t") == 0


def test_hand_worked_calcium_carbide() -> None:
    # Coke as reductant (feedstock), limestone 95 % pure, carbide 80 % CaC2 (0.3 tC/t).
    result = accounted(
        {
            **ROW,
            "item": "coke",
            "quantity": 600,
            "unit": "t",
            "purpose": "feedstock",
            "carbon_content": 0.85,
            "carbon_content_unit": "tC/t",
        },
        {
            "role": "carbonate_input",
            "item": "limestone",
            "quantity": 1900,
            "unit": "t",
            "parameters": "purity=0.95",
        },
        {
            "role": "product_output",
            "item": "calcium_carbide",
            "quantity": 1000,
            "unit": "t",
            "carbon_content": 0.3,
            "carbon_content_unit": "tC/t",
        },
    )
    assert total(result, "co2_mass_balance_t") == pytest.approx((510 - 300) * 44 / 12)
    assert total(result, "co2_carbonate_t") == pytest.approx(1900 * 0.95 * 0.4397)


def test_hand_worked_coking_deducts_energy_products() -> None:
    # Coking coal converted (加工转换): counted, carbon balanced, not excluded as feedstock.
    result = accounted(
        {
            **ROW,
            "item": "washed_coal",
            "quantity": 1330,
            "unit": "t",
            "purpose": "conversion",
            "carbon_content": 0.75,
            "carbon_content_unit": "tC/t",
        },
        {
            "role": "product_output",
            "item": "coke",
            "quantity": 1000,
            "unit": "t",
            "carbon_content": 0.86,
            "carbon_content_unit": "tC/t",
        },
        {"role": "product_output", "item": "coal_tar", "quantity": 40, "unit": "t"},
    )
    energy = 1330 * 0.9 - 1000 * 0.9714 - 40 * 1.1429
    assert total(result, "energy_gross_tce") == pytest.approx(energy)
    assert total(result, "feedstock_energy_tce") == 0
    tar_carbon = 40 * 33.453 * 0.022
    assert total(result, "co2_mass_balance_t") == pytest.approx(
        (1330 * 0.75 - 860 - tar_carbon) * 44 / 12
    )


def test_clinker_oracle() -> None:
    # accounting.md §2.2: 65 % CaO, 2 % MgO, no non-carbonate source → 0.5327 tCO2/t clinker.
    result = accounted(
        {
            "role": "product_output",
            "item": "clinker",
            "quantity": 1,
            "unit": "t",
            "sector": "3011",
            "parameters": "cao=0.65;mgo=0.02",
        }
    )
    assert total(result, "co2_sector_process_t") == pytest.approx(0.5327, abs=1e-4)


def test_aluminium_anode_and_pfc() -> None:
    default = accounted(
        {
            "role": "product_output",
            "item": "aluminium",
            "quantity": 100,
            "unit": "t",
            "sector": "3216",
        }
    )
    assert total(default, "co2_sector_process_t") == pytest.approx(160.0)
    assert total(default, "pfc_co2e_t") == pytest.approx(100 * (0.034 * 6.5 + 0.0034 * 9.2))
    measured = accounted(
        {
            "role": "product_output",
            "item": "aluminium",
            "quantity": 100,
            "unit": "t",
            "sector": "3216",
            "parameters": "anode_consumption=0.42;anode_sulfur=0.02;anode_ash=0.004",
        }
    )
    assert total(measured, "co2_sector_process_t") == pytest.approx(
        100 * 0.42 * (1 - 0.024) * 44 / 12
    )


def test_ccus_reported_apart_and_deducted() -> None:
    result = accounted(
        {**ROW, "item": "natural_gas", "quantity": 100, "unit": "万Nm3"},
        {
            "role": "co2_captured",
            "item": "co2",
            "quantity": 500,
            "unit": "t",
            "purpose": "utilised",
        },
        {
            "role": "co2_captured",
            "item": "co2",
            "quantity": 10,
            "unit": "万Nm3",
            "purpose": "stored",
            "parameters": "purity=0.99",
        },
    )
    assert total(result, "co2_utilised_t") == pytest.approx(500)
    assert total(result, "co2_stored_t") == pytest.approx(10 * 19.77 * 0.99)
    assert total(result, "co2_net_t") == pytest.approx(
        total(result, "co2_total_t") - 500 - 10 * 19.77 * 0.99
    )


def test_green_hydrogen_needs_measured_ncv_and_carries_no_carbon() -> None:
    from carbonpeak.datafile import DataFileError

    with pytest.raises(DataFileError, match="no standard-coal coefficient"):
        accounted(
            {**ROW, "item": "green_hydrogen", "quantity": 10, "unit": "t", "purpose": "feedstock"}
        )
    result = accounted(
        {
            **ROW,
            "item": "green_hydrogen",
            "quantity": 10,
            "unit": "t",
            "purpose": "feedstock",
            "ncv": 120,
            "ncv_unit": "GJ/t",
        }
    )
    assert total(result, "green_hydrogen_t") == 10
    assert total(result, "carbon_in_tc") == 0
    assert total(result, "feedstock_energy_tce") == pytest.approx(1200 / 29.3076)


def test_supply_coal_rate_with_heat_share() -> None:
    result = accounted(
        {
            **ROW,
            "item": "bituminous_coal",
            "quantity": 100_000,
            "unit": "t",
            "sector": "4412",
            "parameters": "heat_ratio=0.2",
        },
        {
            "role": "electricity_supplied",
            "item": "electricity",
            "quantity": 200_000,
            "unit": "MWh",
            "sector": "4412",
        },
        {
            **ROW,
            "item": "natural_gas",
            "quantity": 10,
            "unit": "万Nm3",
            "enterprise": "E2",
            "facility": "boiler",
        },
    )
    units = result.totals("facility")
    chp = units[units["enterprise"] == "E1"].iloc[0]
    assert chp["supply_coal_rate_gce_per_kwh"] == pytest.approx(71430 * 0.8 / 200)
    # The base rate uses power facilities' fuel only, not E2's boiler.
    assert total(result, "power_fuel_tce") == pytest.approx(71430 * 0.8)


def test_electricity_equivalent_value() -> None:
    result = accounted(
        {**ROW, "item": "electricity", "quantity": 1000, "unit": "MWh", "period": "2022-05"}
    )
    assert total(result, "energy_gross_tce") == pytest.approx(122.9)
    assert total(result, "energy_gross_equivalent_tce") == pytest.approx(300.7)


def test_renewable_supply_does_not_dilute_the_supply_coal_rate() -> None:
    result = accounted(
        {**ROW, "item": "bituminous_coal", "quantity": 1000, "unit": "t", "sector": "4411"},
        {
            "role": "electricity_supplied",
            "item": "electricity",
            "quantity": 2500,
            "unit": "MWh",
            "sector": "4411",
        },
        {
            "role": "electricity_supplied",
            "item": "renewable_electricity",
            "quantity": 9000,
            "unit": "MWh",
            "enterprise": "PV1",
            "facility": "PV",
            "sector": "4416",
        },
    )
    base = result.totals("base").iloc[0]
    assert base["supply_coal_rate_gce_per_kwh"] == pytest.approx(714.3 / 2500 * 1000)
    assert base["renewable_supplied_mwh"] == 9000


def test_green_power_deducted_leaves_the_rest_at_the_factor_excluding_traded_non_fossil() -> None:
    # accounting.md §3.3: green power counts at zero once; the unit's other grid power that
    # month takes the MEE/NBS factor excluding market-traded non-fossil power (2023: 0.6096).
    grid = {**ROW, "item": "electricity", "quantity": 200, "unit": "MWh", "period": "2023-05"}
    green = {**grid, "quantity": 100, "green_certificate": "true"}
    other = {**grid, "enterprise": "E2"}
    result = accounted(grid, green, other, factors="ningxia")
    by_unit = result.totals("enterprise").set_index("enterprise")["co2_electricity_t"]
    assert by_unit["E1"] == pytest.approx(200 * 0.6096)
    assert by_unit["E2"] == pytest.approx(200 * 0.6187)  # no green power: Ningxia average
    # Location-based: no deduction, the average for every kWh.
    location = accounted(grid, green, factors="national_average")
    assert total(location, "co2_electricity_t") == pytest.approx(300 * 0.5306)


def test_base_net_importer_counts_the_grid_non_fossil_share() -> None:
    # One unit buying 1000 MWh, 100 MWh of it green, and running 50 MWh of own PV; no generator.
    rows = (
        {**ROW, "item": "electricity", "quantity": 900, "unit": "MWh", "period": "2023-05"},
        {
            **ROW,
            "item": "electricity",
            "quantity": 100,
            "unit": "MWh",
            "period": "2023-05",
            "green_certificate": "true",
        },
        {
            **ROW,
            "item": "renewable_electricity",
            "quantity": 50,
            "unit": "MWh",
            "period": "2023-05",
        },
    )
    base = accounted(*rows, factors="ningxia").totals("base").iloc[0]
    assert base["net_imported_electricity_mwh"] == pytest.approx(1000)
    assert base["co2_net_imported_electricity_t"] == pytest.approx(900 * 0.6096)
    assert base["non_fossil_imported_mwh"] == pytest.approx(1000 * 0.2521)  # Ningxia, unverified
    assert base["non_fossil_tce"] == pytest.approx((50 + 252.1) * 0.3016)
    assert base["energy_consumption_tce"] == pytest.approx(1050 * 0.1229)


def test_base_net_exporter_allocates_exports_pro_rata_of_generation() -> None:
    rows = (
        {**ROW, "enterprise": "P", "item": "bituminous_coal", "quantity": 1000, "unit": "t"},
        {
            "role": "electricity_supplied",
            "enterprise": "P",
            "item": "electricity",
            "quantity": 3000,
            "unit": "MWh",
        },
        {
            "role": "electricity_supplied",
            "enterprise": "S",
            "item": "renewable_electricity",
            "quantity": 1000,
            "unit": "MWh",
        },
        {**ROW, "enterprise": "C", "item": "electricity", "quantity": 1000, "unit": "MWh"},
    )
    result = accounted(*rows, factors="national_average")
    base = result.totals("base").iloc[0]
    units = result.totals("enterprise_sum").iloc[0]
    assert base["net_imported_electricity_mwh"] == pytest.approx(-3000)
    assert base["co2_net_imported_electricity_t"] == pytest.approx(-3000 * 0.5306)
    assert base["co2_net_t"] == pytest.approx(units["co2_direct_t"] - 3000 * 0.5306)
    assert base["non_fossil_exported_mwh"] == pytest.approx(1000 * 3000 / 4000)
    assert base["non_fossil_tce"] == pytest.approx(250 * 0.3016)
    # Energy: the plant's coal once, plus PV generation, less the net export (calorific).
    assert base["energy_consumption_tce"] == pytest.approx(714.3 + (1000 - 3000) * 0.1229)
    assert units["energy_consumption_tce"] == pytest.approx(714.3 + 1000 * 0.1229)


def test_check_flags_power_both_supplied_and_delivered() -> None:
    rows = (
        {"role": "electricity_supplied", "item": "electricity", "quantity": 10, "unit": "MWh"},
        {"role": "energy_output", "item": "electricity", "quantity": 10, "unit": "MWh"},
    )
    assert any("subtract it twice" in p.problem for p in check(accounted(*rows)))
