import itertools
from datetime import date

import pytest

from carbonpeak.factors import (
    CarrierCoefficient,
    ElectricityFactor,
    FuelParameters,
    ReferenceDataError,
    Status,
    load_all,
    load_dataset,
    parse_dataset,
    resolve_reference_value,
)
from carbonpeak.units import is_compatible


def all_records() -> list[tuple[str, object]]:
    return [(d.version, r) for d in load_all() for r in d.records]


def test_every_record_has_a_source_validity_and_status() -> None:
    records = all_records()
    assert len(records) > 150
    for version, record in records:
        assert record.source.strip(), f"{version}:{record.key} has no source"
        assert isinstance(record.valid_from, date), f"{version}:{record.key} has no validity"
        assert record.valid_to is None or record.valid_to >= record.valid_from
        assert record.status in set(Status)


def test_every_dataset_states_document_edition_and_publisher() -> None:
    for dataset in load_all():
        assert dataset.document and dataset.publisher and dataset.edition
        assert len(dataset.sha256) == 64


def test_editions_of_one_source_do_not_overlap() -> None:
    by_id: dict[str, list] = {}
    for dataset in load_all():
        by_id.setdefault(dataset.id, []).append(dataset)
    for editions in by_id.values():
        editions.sort(key=lambda d: d.valid_from)
        for older, newer in itertools.pairwise(editions):
            assert older.valid_to is not None and older.valid_to < newer.valid_from


# Published values (accounting.md §1.2, §2.3, §3), with the status the reference gives them.
COAL_EQUIVALENT_ORACLE = [
    ("raw_coal", 0.7143, "kgce/kg"),
    ("washed_coal", 0.9000, "kgce/kg"),
    ("coke", 0.9714, "kgce/kg"),
    ("crude_oil", 1.4286, "kgce/kg"),
    ("gasoline", 1.4714, "kgce/kg"),
    ("diesel", 1.4571, "kgce/kg"),
    ("lpg", 1.7143, "kgce/kg"),
    ("gasfield_natural_gas", 1.2143, "kgce/Nm3"),
    ("oilfield_natural_gas", 1.3300, "kgce/Nm3"),
    ("electricity", 0.1229, "kgce/kWh"),
]


@pytest.mark.parametrize(("key", "value", "unit"), COAL_EQUIVALENT_ORACLE)
def test_gbt2589_2008_coefficients(key: str, value: float, unit: str) -> None:
    record = load_dataset("gbt2589", "2008").record(key)
    assert isinstance(record, CarrierCoefficient)
    assert record.coefficient is not None
    assert (record.coefficient.value, record.coefficient.unit) == (value, unit)
    assert record.status is Status.verified


def test_coefficients_are_kcal_over_7000() -> None:
    # The tabulated coefficient is the heating value in kcal over 7000, rounded to 4 places.
    for record in load_dataset("gbt2589", "2008").records:
        if isinstance(record, CarrierCoefficient) and record.coefficient and record.annex == "A":
            ncv = record.net_calorific_value
            if ncv is None or record.key in {"electricity", "refinery_dry_gas"}:
                continue
            kcal = ncv.value / 4.1816
            assert round(kcal / 7000, 4) == pytest.approx(record.coefficient.value, abs=1e-4)


def test_2020_edition_keeps_unverified_coefficients_marked() -> None:
    edition = load_dataset("gbt2589", "2020")
    assert load_dataset("gbt2589").edition == "2020"
    raw_coal = edition.record("raw_coal")
    assert raw_coal.status is Status.unverified
    assert edition.record("electricity").status is Status.secondary


@pytest.mark.parametrize(
    ("edition", "key", "value", "status"),
    [
        ("2021", "national_average", 0.5568, Status.verified),
        ("2022", "national_average", 0.5366, Status.verified),
        ("2022", "national_excluding_market_non_fossil", 0.5856, Status.verified),
        ("2022", "northwest_average", 0.5857, Status.verified),
        ("2023", "northwest_average", 0.5543, Status.verified),
        ("2022", "ningxia_average", 0.6423, Status.secondary),
        ("2023", "ningxia_average", 0.6187, Status.unverified),
    ],
)
def test_grid_factors(edition: str, key: str, value: float, status: Status) -> None:
    record = load_dataset("mee_nbs_electricity", edition).record(key)
    assert isinstance(record, ElectricityFactor)
    assert record.factor.value == value
    assert record.factor.unit == "tCO2/MWh"
    assert record.status is status
    assert record.is_valid_on(date(int(edition), 6, 30))


def test_fuel_defaults_give_the_published_per_unit_factors() -> None:
    # NCV x CC x OF x 44/12 for bituminous coal, NDRC Table A: 23.204 x 0.02618 x 0.93 x 44/12.
    record = load_dataset("ndrc_guideline_defaults").record("bituminous_coal")
    assert isinstance(record, FuelParameters)
    factor = (
        record.net_calorific_value.value
        * record.carbon_content.value
        * record.oxidation_rate
        * 44
        / 12
    )
    assert factor == pytest.approx(2.0716, abs=1e-4)
    gas = load_dataset("ndrc_guideline_defaults").record("natural_gas")
    assert isinstance(gas, FuelParameters)
    assert gas.net_calorific_value.unit == "GJ/万Nm3"


def test_every_unit_in_reference_data_has_the_expected_dimension() -> None:
    for dataset in load_all():
        for record in dataset.records:
            if isinstance(record, CarrierCoefficient) and record.coefficient:
                assert (
                    is_compatible(record.coefficient.unit, "kgce/kg")
                    or is_compatible(record.coefficient.unit, "kgce/Nm3")
                    or is_compatible(record.coefficient.unit, "kgce/kWh")
                )
            if isinstance(record, FuelParameters):
                assert is_compatible(record.carbon_content.unit, "tC/GJ")
            if isinstance(record, ElectricityFactor):
                assert is_compatible(record.factor.unit, "tCO2/MWh")


def test_reference_value_resolves() -> None:
    assert resolve_reference_value("ndrc_benchmark@2023:calcium_carbide.benchmark_level") == (
        805.0,
        "kgce/t",
    )
    with pytest.raises(KeyError):
        resolve_reference_value("ndrc_benchmark@2023:calcium_carbide.colour")


BROKEN = """kind: heat_factors
id: broken
edition: "1"
title_en: t
publisher: p
document: d
valid_from: 2020-01-01
status: verified
source: s
records:
  - {key: ok, factor: {value: 0.11, unit: tCO2/GJ}}
  - {key: bad, factor: {value: 0.11, unit: 吨二氧化碳每吉焦}}
  - {key: late, factor: {value: 0.11, unit: tCO2/GJ}, valid_to: 2019-01-01}
"""


def test_a_broken_file_names_file_record_and_field() -> None:
    with pytest.raises(ReferenceDataError) as caught:
        parse_dataset(BROKEN, "heat/broken.yaml")
    message = str(caught.value)
    assert message.startswith("heat/broken.yaml: 2 problem(s)")
    assert "records[1] (key 'bad').factor.unit" in message
    assert "吨二氧化碳每吉焦" in message
    assert "records[2] (key 'late')" in message
