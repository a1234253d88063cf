"""The activity table: the accounting engine's input, read from CSV or Parquet and checked.

One row is one quantity of one item in one role, for an enterprise (and optionally a facility) in a
month. ``docs/accounting.md`` documents the columns; every problem is reported with its row and
column, and a table with any problem is rejected whole.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from carbonpeak.accounting.activity_rows import Problems as _Problems
from carbonpeak.accounting.activity_rows import RowNumbers
from carbonpeak.accounting.activity_rows import constant as _constant
from carbonpeak.accounting.catalogue import ENERGY_CARRIERS, Category, items
from carbonpeak.accounting.columns import (
    OPTIONAL_COLUMNS,
    PARAMETERS,
    REQUIRED_COLUMNS,
    Purpose,
    Role,
)
from carbonpeak.accounting.files import read_table
from carbonpeak.accounting.measured import (
    CARBON_LIMITS,
    MAX_QUANTITY,
    NCV_LIMITS,
    PARAMETER_RANGES,
    limit_per_unit,
    normalise_number,
    strict_numbers,
)
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.messages import Message, message
from carbonpeak.units import UnitError, is_compatible, to_magnitude

__all__ = [
    "OPTIONAL_COLUMNS",
    "PARAMETERS",
    "REQUIRED_COLUMNS",
    "Purpose",
    "Role",
    "parse_activity",
    "read_activity",
    "read_table",
]


_ROLE_CATEGORIES: dict[Role, set[Category]] = {
    Role.energy_input: {*ENERGY_CARRIERS, Category.hydrogen},
    Role.energy_output: {*ENERGY_CARRIERS, Category.hydrogen},
    Role.product_output: {
        Category.product,
        Category.coal_product,
        Category.oil,
        Category.gas,
        Category.hydrogen,
    },
    Role.carbon_output: {Category.other, Category.co2},
    Role.carbonate_input: {Category.carbonate},
    Role.co2_captured: {Category.co2},
    Role.electricity_supplied: {Category.electricity},
    Role.reported_energy_total: {Category.other},
}
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


def read_activity(path: str | Path) -> pd.DataFrame:
    """Read an activity table (``read_table``) and check it (``parse_activity``)."""
    return parse_activity(read_table(path), str(path))


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def _numbers(frame: pd.DataFrame, column: str, problems: _Problems) -> pd.Series:
    """The column read strictly (``measured.strict_numbers``); a cell that is not a finite
    number is a problem, never NaN in silence."""
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    values, bad = strict_numbers(frame[column])
    problems.add(
        bad,
        frame,
        column,
        message("error.activity.not_a_number"),
        message("error.activity.decimal"),
    )
    return values


def _unit_without_value(
    frame: pd.DataFrame,
    problems: _Problems,
    column: str,
    unit: pd.Series,
    name: tuple[Message, Message],
) -> None:
    """A unit given for a measurement left empty (``name``: the noun with its article, and bare)."""
    a_noun, noun = name
    problems.add(
        (unit != "") & (_text(frame, column) == ""),
        frame,
        column,
        message("error.activity.unit_without", a_noun=a_noun),
        message("error.activity.measured_beside", noun=noun),
    )


def _unit_limits(limits: tuple[tuple[float, str], ...], units: pd.Series) -> np.ndarray:
    table = {u: limit_per_unit(limits, u) for u in units.unique()}
    return units.map(table).to_numpy(dtype=float)


def _unit_factors(units: pd.Series, targets: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Factor converting each row's unit to its target unit, and where that is impossible."""
    pairs = pd.DataFrame({"unit": units, "target": targets})
    unique = pairs.drop_duplicates()
    factors: dict[tuple[str, str], float] = {}
    for unit, target in unique.itertuples(index=False):
        if not unit or not target:
            factors[(unit, target)] = math.nan
            continue
        try:
            factors[(unit, target)] = (
                to_magnitude(1.0, unit, target) if is_compatible(unit, target) else math.nan
            )
        except UnitError:
            factors[(unit, target)] = math.nan
    keys = pd.MultiIndex.from_frame(pairs)
    values = pd.Series(factors).reindex(keys).to_numpy(dtype=float)
    return values, np.isnan(values)


def _parse_parameters(text: pd.Series, problems: _Problems, frame: pd.DataFrame) -> pd.DataFrame:
    columns = {key: np.full(len(text), np.nan) for key in PARAMETERS}
    for index in np.flatnonzero(text.to_numpy() != ""):
        for part in filter(None, (p.strip() for p in text.iloc[index].split(";"))):
            key, _, value = part.partition("=")
            key = key.strip()
            cleaned = normalise_number(value)
            number = float(cleaned) if _DECIMAL.fullmatch(cleaned) else math.nan
            allowed = PARAMETER_RANGES.get(key)
            if (
                allowed is not None
                and math.isfinite(number)
                and allowed.outside(pd.Series([number])).iloc[0]
            ):
                mask = pd.Series(np.arange(len(text)) == index, index=frame.index)
                problems.add(
                    mask,
                    frame,
                    "parameters",
                    f"{key} out of range",
                    f"{key} in {allowed.text()}",
                    _constant(part),
                )
                continue
            if key not in PARAMETERS or not math.isfinite(number):
                mask = pd.Series(np.arange(len(text)) == index, index=frame.index)
                problems.add(
                    mask,
                    frame,
                    "parameters",
                    message("error.activity.bad_parameter"),
                    f"key=number with key one of {', '.join(PARAMETERS)}",
                    _constant(part),
                )
                continue
            columns[key][index] = number
    return pd.DataFrame(columns, index=text.index)


def parse_activity(raw: pd.DataFrame, name: str = "<activity>") -> pd.DataFrame:
    """Check an activity table and return it normalised.

    Quantities are converted to each item's canonical unit; measured NCV to GJ per that unit;
    measured carbon content to tC per unit or per GJ. Raises :class:`DataFileError` listing every
    problem (up to 50) if there is any.
    """
    if "sheet" in raw.attrs:
        name = f"{name}, sheet {raw.attrs['sheet']}"
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    unknown = [c for c in raw.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        header = [
            Problem("header", message("error.activity.missing_column"), expected=c, found=None)
            for c in missing
        ]
        header += [
            Problem(
                "header",
                message("error.activity.unknown_column"),
                expected=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                found=c,
            )
            for c in unknown
        ]
        raise DataFileError(name, header)
    frame = raw.reset_index(drop=True)
    lines = raw.attrs.get("rows")
    problems = _Problems(list(lines) if lines is not None and len(lines) == len(frame) else None)
    catalogue = items()

    enterprise = _text(frame, "enterprise")
    problems.add(
        enterprise == "",
        frame,
        "enterprise",
        message("error.activity.empty"),
        message("error.activity.enterprise_id"),
    )
    period = _text(frame, "period")
    period_ok = period.str.match(_PERIOD)
    problems.add(~period_ok, frame, "period", message("error.activity.not_a_month"), "YYYY-MM")
    item = _text(frame, "item")
    item_ok = item.isin(catalogue)
    problems.add(
        ~item_ok,
        frame,
        "item",
        message("error.activity.unknown_item"),
        message("error.activity.item_of_catalogue"),
    )
    role = _text(frame, "role")
    role_ok = role.isin([r.value for r in Role])
    problems.add(
        ~role_ok,
        frame,
        "role",
        message("error.activity.unknown_role"),
        ", ".join(r.value for r in Role),
    )

    quantity = _numbers(frame, "quantity", problems)
    problems.add(
        _text(frame, "quantity") == "",
        frame,
        "quantity",
        message("error.activity.empty"),
        message("error.activity.a_number"),
    )
    problems.add(
        quantity < 0,
        frame,
        "quantity",
        message("error.activity.negative_quantity"),
        message("error.activity.quantity_non_negative"),
    )

    category = item.map({k: v.category.value for k, v in catalogue.items()}).fillna("")
    allowed = role.map({r.value: {c.value for c in cats} for r, cats in _ROLE_CATEGORIES.items()})
    mismatch = (
        item_ok
        & role_ok
        & pd.Series(
            [
                c not in a if isinstance(a, set) else False
                for c, a in zip(category, allowed, strict=True)
            ],
            index=frame.index,
        )
    )
    problems.add(
        mismatch,
        frame,
        "role",
        message("error.activity.item_role"),
        message("error.activity.role_fits"),
        lambda i: f"{role.iloc[i]} for {item.iloc[i]} ({category.iloc[i]})",
    )

    purpose = _text(frame, "purpose")
    energy_input = role == Role.energy_input
    purpose = purpose.mask(energy_input & (purpose == ""), Purpose.fuel.value)
    purpose = purpose.mask((role == Role.co2_captured) & (purpose == ""), Purpose.utilised.value)
    bad_purpose = (
        (energy_input & ~purpose.isin([Purpose.fuel, Purpose.feedstock, Purpose.conversion]))
        | ((role == Role.co2_captured) & ~purpose.isin([Purpose.utilised, Purpose.stored]))
        | (~energy_input & (role != Role.co2_captured) & (purpose != ""))
    )
    problems.add(
        bad_purpose,
        frame,
        "purpose",
        message("error.activity.purpose_role"),
        message("error.activity.purpose_expected"),
    )

    item_unit = item.map({k: v.unit for k, v in catalogue.items()}).fillna("")
    unit = _text(frame, "unit")
    factor, bad_unit = _unit_factors(unit, item_unit)
    # Captured CO2 may be reported as a gas volume; it is converted with density and purity later.
    volume_co2 = (role == Role.co2_captured) & unit.map(lambda u: bool(u) and _compatible(u, "Nm3"))
    problems.add(
        pd.Series(bad_unit, index=frame.index) & item_ok & ~volume_co2,
        frame,
        "unit",
        message("error.activity.unit_item"),
        message("error.activity.unit_convertible"),
        lambda i: f"{unit.iloc[i]!r} for {item.iloc[i]} (in {item_unit.iloc[i]})",
    )

    problems.add(
        pd.Series(quantity.to_numpy() * factor > MAX_QUANTITY, index=frame.index),
        frame,
        "quantity",
        message("error.activity.out_of_range"),
        f"at most {MAX_QUANTITY:g} in the item's unit",
    )

    ncv = _numbers(frame, "ncv", problems)
    ncv_unit = _text(frame, "ncv_unit")
    _unit_without_value(
        frame,
        problems,
        "ncv",
        ncv_unit,
        (message("error.activity.an_ncv"), message("error.activity.ncv")),
    )
    ncv_factor, bad_ncv = _unit_factors(ncv_unit, "GJ/" + item_unit)
    problems.add(
        ncv.notna() & pd.Series(bad_ncv, index=frame.index) & item_ok,
        frame,
        "ncv_unit",
        message("error.activity.ncv_unit"),
        message("error.activity.ncv_unit_expected"),
    )
    problems.add(
        ncv.notna() & (ncv <= 0), frame, "ncv", message("error.activity.ncv_positive"), "> 0"
    )
    ncv_limit = _unit_limits(NCV_LIMITS, "GJ/" + item_unit)
    ncv_gj = ncv.to_numpy() * ncv_factor
    problems.add(
        pd.Series(ncv.notna().to_numpy() & ~bad_ncv & item_ok.to_numpy(), index=frame.index)
        & pd.Series(np.isnan(ncv_limit) | (ncv_gj > ncv_limit), index=frame.index),
        frame,
        "ncv",
        message("error.activity.out_of_range"),
        message("error.activity.ncv_limit"),
    )

    carbon = _numbers(frame, "carbon_content", problems)
    carbon_unit = _text(frame, "carbon_content_unit")
    _unit_without_value(
        frame,
        problems,
        "carbon_content",
        carbon_unit,
        (message("error.activity.a_carbon_content"), message("error.activity.carbon_content")),
    )
    problems.add(
        carbon < 0, frame, "carbon_content", message("error.activity.negative_carbon"), ">= 0"
    )
    per_mass, bad_mass = _unit_factors(carbon_unit, "tC/" + item_unit)
    per_heat, bad_heat = _unit_factors(carbon_unit, pd.Series("tC/GJ", index=frame.index))
    carbon_value = carbon.to_numpy()
    carbon_limit = np.where(
        ~bad_mass,
        _unit_limits(CARBON_LIMITS[:2], "tC/" + item_unit) / np.where(bad_mass, 1.0, per_mass),
        CARBON_LIMITS[2][0] / np.where(bad_heat, 1.0, per_heat),
    )
    problems.add(
        pd.Series(
            ~np.isnan(carbon_value)
            & ~(bad_mass & bad_heat)
            & (np.isnan(carbon_limit) | (carbon_value > carbon_limit)),
            index=frame.index,
        )
        & item_ok,
        frame,
        "carbon_content",
        message("error.activity.out_of_range"),
        "at most 1 tC/t, 3 kgC/Nm3 or 0.1 tC/GJ",
    )
    problems.add(
        carbon.notna() & pd.Series(bad_mass & bad_heat, index=frame.index) & item_ok,
        frame,
        "carbon_content_unit",
        message("error.activity.carbon_unit"),
        message("error.activity.carbon_unit_expected"),
    )
    problems.add(
        (role == Role.carbon_output) & carbon.isna(),
        frame,
        "carbon_content",
        message("error.activity.carbon_needed"),
        message("error.activity.a_number"),
    )

    oxidation = _numbers(frame, "oxidation_rate", problems)
    problems.add(
        oxidation.notna() & ((oxidation <= 0) | (oxidation > 1)),
        frame,
        "oxidation_rate",
        message("error.activity.out_of_range"),
        message("error.activity.fraction"),
    )
    green_text = _text(frame, "green_certificate").str.lower()
    green_ok = green_text.isin(["", "true", "false", "1", "0", "yes", "no"])
    problems.add(
        ~green_ok,
        frame,
        "green_certificate",
        message("error.activity.not_boolean"),
        message("error.activity.true_or_false"),
    )
    green = green_text.isin(["true", "1", "yes"])
    problems.add(
        green & (category != Category.electricity),
        frame,
        "green_certificate",
        message("error.activity.green_electricity"),
        "false",
    )

    parameters = _parse_parameters(_text(frame, "parameters"), problems, frame)
    clinker = (item == "clinker") & (role == Role.product_output)
    problems.add(
        clinker & (parameters["cao"].isna() | parameters["mgo"].isna()),
        frame,
        "parameters",
        message("error.activity.clinker"),
        "cao=0.65;mgo=0.02",
    )
    sector = _text(frame, "sector")
    problems.add(
        (sector != "") & ~sector.str.fullmatch(r"\d{2}|\d{4}"),
        frame,
        "sector",
        message("error.activity.sector_code"),
        message("error.activity.sector_expected"),
    )

    if problems.rows:
        raise DataFileError(name, problems.rows)

    heat_measured = ~bad_heat & carbon.notna().to_numpy()
    mass_measured = ~bad_mass & carbon.notna().to_numpy()
    volume_factor = np.where(volume_co2, [_volume(u) for u in unit], np.nan)
    result = pd.DataFrame(
        {
            "enterprise": enterprise.astype("category"),
            "facility": _text(frame, "facility").astype("category"),
            "sector": sector.astype("category"),
            "period": period.astype("category"),
            "year": period.str.slice(0, 4).astype("int16"),
            "item": item.astype("category"),
            "role": role.astype("category"),
            "purpose": purpose.astype("category"),
            "quantity": np.where(volume_co2, np.nan, quantity.to_numpy() * factor),
            "volume_nm3": quantity.to_numpy() * volume_factor,
            "ncv_gj": ncv_gj,
            "carbon_tc": np.where(mass_measured, carbon.to_numpy() * per_mass, np.nan),
            "carbon_tc_per_gj": np.where(
                heat_measured & ~mass_measured, carbon.to_numpy() * per_heat, np.nan
            ),
            "oxidation_rate": oxidation.to_numpy(),
            "green_certificate": green.to_numpy(),
        }
    )
    for key in PARAMETERS:
        result[f"param_{key}"] = parameters[key].to_numpy()
    result.attrs["source"] = name
    lines = problems.lines or range(2, len(frame) + 2)
    result.attrs["rows"] = RowNumbers(np.asarray(lines, dtype=np.int64))
    return result


def _compatible(unit: str, target: str) -> bool:
    try:
        return is_compatible(unit, target)
    except UnitError:
        return False


def _volume(unit: str) -> float:
    return to_magnitude(1.0, unit, "Nm3") if unit and _compatible(unit, "Nm3") else np.nan
