"""The one unit registry of carbonpeak.

Every quantity in the platform is parsed, checked and converted here. Chinese statistical units
(万千瓦, 万吨标准煤, 亿元, 克标煤/千瓦时 …) are defined in ``definitions.txt`` beside this file.
Standard coal equivalent (tce) and CO2 are dimensions of their own, so a tonne of coal, a tonne
of standard coal and a tonne of CO2 can never be added by mistake.

>>> to_magnitude(1, "万千瓦", "MW")
10.0
>>> to_magnitude(1, "tC", "tCO2")  # doctest: +ELLIPSIS
3.666...
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import pint
from pint.facets.plain import PlainQuantity

from carbonpeak.messages import message

__all__ = [
    "GJ_PER_TCE",
    "WAN",
    "Quantity",
    "UnitError",
    "annualised_unit",
    "dimensionality",
    "is_compatible",
    "normalise_unit",
    "parse_quantity",
    "parse_stated_quantity",
    "parse_unit",
    "to_magnitude",
    "unit_label",
    "ureg",
]


class UnitError(ValueError):
    """A unit string that does not parse, or a quantity of the wrong dimension."""


# Spellings that pint would misread: "Nm³" as newton·m³, "%" inside compound units, "m²".
_REWRITES: tuple[tuple[str, str], ...] = (
    ("Nm³", "Nm3"),
    ("Nm^3", "Nm3"),
    ("m³", "m**3"),
    ("m²", "m**2"),
    ("CO₂", "CO2"),
)


def normalise_unit(unit: str) -> str:
    """Return ``unit`` rewritten into the spelling the registry parses.

    >>> normalise_unit("万Nm³")
    '万Nm3'
    """
    text = unit.strip()
    for old, new in _REWRITES:
        text = text.replace(old, new)
    return text


# 1 kgce = 29 307.6 kJ of net heat (GB/T 2589 §3). Used only where heat must become standard coal
# explicitly: a measured NCV, or the opt-in context below.
GJ_PER_TCE = 29.3076
# 万: the ten thousand Chinese statistics count in (万t, 万tce, 万元; 亿元 = 万 × 万元).
WAN = 1e4
_JOULE_PER_KGCE = GJ_PER_TCE * 1e6


def _heat_from_coal(
    ureg: pint.UnitRegistry[Any], value: PlainQuantity[Any], **_: Any
) -> PlainQuantity[Any]:
    converted: PlainQuantity[Any] = value * ureg.Quantity(_JOULE_PER_KGCE, "J/kgce")
    return converted


def _coal_from_heat(
    ureg: pint.UnitRegistry[Any], value: PlainQuantity[Any], **_: Any
) -> PlainQuantity[Any]:
    converted: PlainQuantity[Any] = value / ureg.Quantity(_JOULE_PER_KGCE, "J/kgce")
    return converted


def _build_registry() -> pint.UnitRegistry[Any]:
    registry: pint.UnitRegistry[Any] = pint.UnitRegistry(
        preprocessors=[normalise_unit],
        autoconvert_offset_to_baseunit=True,
        cache_folder=None,
    )
    definitions = resources.files("carbonpeak.units").joinpath("definitions.txt")
    with resources.as_file(definitions) as path:
        registry.load_definitions(str(path))
    # Explicit, opt-in conversion between heat and standard coal at 29.3076 MJ/kgce.
    context = pint.Context("coal_equivalent_heat")
    heat = "[mass] * [length] ** 2 / [time] ** 2"
    context.add_transformation("[coal_equivalent]", heat, _heat_from_coal)
    context.add_transformation(heat, "[coal_equivalent]", _coal_from_heat)
    registry.add_context(context)
    return registry


ureg: pint.UnitRegistry[Any] = _build_registry()
Quantity: Any = ureg.Quantity


MAX_UNIT_LENGTH = 40  # the longest unit any report or plan writes is about 15 characters


@lru_cache(maxsize=4096)  # bounded: unit strings come from uploads and the API
def parse_unit(unit: str) -> Any:
    """Parse a unit string; raise :class:`UnitError` naming the string if it is unknown or
    malformed. No other exception escapes: pint's parser raises AssertionError, TokenError or
    ZeroDivisionError on strings such as ``MWh-``, ``(`` or ``1/0``."""
    if unit is None or not str(unit).strip():
        raise UnitError(message("error.unit.empty"))
    text = unicodedata.normalize("NFKC", str(unit))
    if len(text) > MAX_UNIT_LENGTH:
        raise UnitError(message("error.unit.too_long", unit=repr(unit), limit=MAX_UNIT_LENGTH))
    try:
        parsed = ureg.parse_units(normalise_unit(text))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
        raise UnitError(message("error.unit.unknown", unit=repr(unit))) from exc
    except Exception as exc:
        raise UnitError(message("error.unit.no_parse", unit=repr(unit))) from exc
    if any(not math.isfinite(float(str(power))) for power in parsed._units.values()):
        raise UnitError(message("error.unit.no_parse", unit=repr(unit)))
    return parsed


def dimensionality(unit: str) -> str:
    """Return the dimensionality of ``unit`` as text, e.g. ``'[coal_equivalent] / [currency]'``."""
    return str(parse_unit(unit).dimensionality)


def is_compatible(unit_a: str, unit_b: str) -> bool:
    """Whether two units measure the same dimension (so one converts to the other)."""
    return bool(parse_unit(unit_a).dimensionality == parse_unit(unit_b).dimensionality)


def parse_quantity(value: float, unit: str) -> Any:
    """A pint quantity of ``value`` in ``unit``."""
    return Quantity(value, parse_unit(unit))


def to_magnitude(value: float, unit: str, target_unit: str) -> float:
    """Convert ``value`` from ``unit`` to ``target_unit`` and return the bare number."""
    if not is_compatible(unit, target_unit):
        raise UnitError(
            f"cannot convert {unit!r} ({dimensionality(unit)}) "
            f"to {target_unit!r} ({dimensionality(target_unit)})"
        )
    return float(parse_quantity(value, unit).to(parse_unit(target_unit)).magnitude)


# Figures as plans state them: "700万千瓦", "百万吨", "8%", "300克标煤/千瓦时", "65 台", "全部".
_CHINESE_MULTIPLIERS = {"百万": Decimal(10**6), "千万": Decimal(10**7)}
_STATED = re.compile(
    r"^\s*(?P<number>\d+(?:\.\d+)?)?\s*(?P<multiplier>百万|千万)?\s*(?P<unit>.*?)\s*$"
)
_UNIT_SPELLINGS = {"%": "percent", "％": "percent", "": "dimensionless"}
_PER_YEAR = ("/年",)


def parse_stated_quantity(stated: str) -> tuple[Decimal, str]:
    """Parse a figure as written in a plan into ``(value, unit)``.

    Chinese magnitude words become plain numbers on the base unit, and "全部" (all) is 100 %.
    A trailing "/年" (per year) is dropped: capacities in Chinese statistics are annual by
    convention and are stated both ways in the same plan.

    >>> parse_stated_quantity("700万千瓦")
    (Decimal('700'), '万千瓦')
    >>> parse_stated_quantity("百万吨")
    (Decimal('1000000'), '吨')
    >>> parse_stated_quantity("8%")
    (Decimal('8'), 'percent')
    >>> parse_stated_quantity("全部")
    (Decimal('100'), 'percent')
    """
    text = stated.strip()
    if text in {"全部", "100%"}:
        return Decimal(100), "percent"
    match = _STATED.match(text)
    if match is None or (match["number"] is None and match["multiplier"] is None):
        raise UnitError(message("error.unit.no_number", stated=repr(stated)))
    value = Decimal(match["number"]) if match["number"] else Decimal(1)
    if match["multiplier"]:
        value *= _CHINESE_MULTIPLIERS[match["multiplier"]]
    unit = match["unit"]
    for suffix in _PER_YEAR:
        unit = unit.removesuffix(suffix)
    unit = _UNIT_SPELLINGS.get(unit, unit)
    parse_unit(unit)
    return value, unit


def annualised_unit(stated_unit: str, target_unit: str) -> str:
    """A stated amount's unit, read per year where the target unit is per year and the stated
    unit is not: capacities are annual by convention, and a plan writes "8万吨" and "8万吨/年"
    for the same capacity.

    >>> annualised_unit("万吨", "万t/年"), annualised_unit("万吨", "万t")
    ('万吨/年', '万吨')
    """
    per_year = f"{stated_unit}/年"
    if not is_compatible(stated_unit, target_unit) and is_compatible(per_year, target_unit):
        return per_year
    return stated_unit


# How a unit id reads beside a number: "percent" as %, a pure number with nothing.
_UNIT_LABELS = {"percent": "%", "dimensionless": ""}


def unit_label(unit: str) -> str:
    """A unit as a reader sees it beside a number.

    >>> unit_label("percent"), unit_label("dimensionless"), unit_label("万t/年")
    ('%', '', '万t/年')
    """
    return _UNIT_LABELS.get(unit, unit)
