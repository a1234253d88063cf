"""Names and numbers on the data pages in the reader's language: organisations, items (fuels,
carriers, products), metrics, reference values and scenario assumptions, looked up in the one
message catalogue; reference values with their significant digits, never a float repr. The
templates call these (registered as template globals by ``web.pages``)."""

from __future__ import annotations

import math
import re

from markupsafe import Markup, escape

from carbonpeak.accounting.metrics import CATALOGUE
from carbonpeak.messages import amount, has_text, moment, number, percent, render, text
from carbonpeak.units import unit_label

__all__ = [
    "TEMPLATE_HELPERS",
    "assumption_name",
    "factor_set_name",
    "indicator_number",
    "item_name",
    "metric_name",
    "metric_number",
    "named",
    "org_name",
    "reference_source",
    "reference_value",
    "scenario_anchor",
    "unit_text",
    "value_source",
]

# Items are keyed by what they are: fuels and energy carriers, products, other materials.
_ITEM_PREFIXES = ("fuel", "product", "material", "factor")
# "dataset@edition:record" or "dataset@edition:record.parameter" (the factor lineage's source)
_SOURCE = re.compile(
    r"^(?P<dataset>[a-z0-9_]+)@(?P<edition>[\w.-]+):(?P<record>[a-z0-9_]+)(?:\.(?P<param>[a-z0-9_]+))?$"
)
_YEARLY = re.compile(r"^(?P<name>[a-z_]+?)_(?P<year>\d{4})$")
_SIGNIFICANT = 6
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_ANCHOR = re.compile(
    r"^accounted base year (?P<year>\d{4}): factor set (?P<factor_set>[\w-]+), "
    r"data version (?P<version>\d+)$"
)
_MAX_DECIMALS = 5  # more reads as a float repr (tests/text_checks.py)
_SMALLEST_DECIMAL = -3
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def named(prefixes: tuple[str, ...], key: str, language: str) -> str:
    """The first of ``prefix.key`` the catalogue holds, in ``language``; ``key`` itself if none
    (so that a gap is visible, and the catalogue walk names it).

    >>> named(("fuel", "product"), "aluminium", "zh"), named(("fuel",), "nothing_such", "zh")
    ('电解铝', 'nothing_such')
    """
    for prefix in prefixes:
        if has_text(f"{prefix}.{key}"):
            return text(f"{prefix}.{key}", language)
    return key


def org_name(organisation: str | None, language: str) -> str:
    """An organisation of the plan by its id (``org.<id>``).

    >>> org_name("economic_development_bureau", "zh"), org_name(None, "en")
    ('经济发展局', '')
    """
    return named(("org",), organisation, language) if organisation else ""


def item_name(item: str, language: str) -> str:
    """A fuel, energy carrier, product or material of the activity table.

    >>> item_name("bituminous_coal", "zh"), item_name("bituminous_coal", "en")
    ('烟煤', 'bituminous coal')
    """
    return named(_ITEM_PREFIXES, item, language)


def metric_name(metric: str, language: str) -> str:
    """An accounting metric (``metric.<id>``, from data/accounting/metrics.yaml).

    >>> metric_name("co2_net_t", "zh")
    '二氧化碳净排放'
    """
    return named(("metric",), metric, language)


def metric_number(metric: str, value: float | int | None, language: str) -> str:
    """A metric's value with the metric's fixed decimals (``decimals`` in metrics.yaml).

    >>> metric_number("co2_net_t", 1234567.891, "zh")
    '1,234,567.9'
    """
    found = CATALOGUE.get(metric)
    return number(value, language, found.decimals if found else 1)


def unit_text(unit: str | None, language: str) -> str:
    """A unit beside a number: ``unit.<id>`` where the catalogue names it, else its symbol
    (``units.unit_label``: percent is %, dimensionless is nothing).

    >>> unit_text("percent", "zh"), unit_text("dimensionless", "en"), unit_text("万tCO2", "en")
    ('%', '', '万tCO2')
    """
    if not unit:
        return ""
    if has_text(f"unit.{unit}"):
        return text(f"unit.{unit}", language)
    return unit_label(unit)


# Decimals of an indicator's value by its unit, as the plan states such figures (万t with two
# decimals, intensities per 万元 with three, counts none). The plan's indicator definitions carry
# no decimals yet; this rule stands in for them on the lineage page.
_UNIT_DECIMALS = {"万t": 2, "万tCO2": 2, "万tce": 2, "万t/年": 2, "万千瓦": 2, "percent": 2}
_UNIT_DECIMALS |= {"tce/万元": 3, "tCO2/万元": 3, "平方米/万元": 2, "gce/kWh": 1, "kgce/t": 1}
_UNIT_DECIMALS |= {"台": 0, "家": 0, "tce": 0, "dimensionless": 3}


def indicator_number(unit: str, value: float | int | None, language: str) -> str:
    """An indicator's value with its unit's decimals (two where the unit is unknown).

    >>> indicator_number("万tCO2", 6375.299821558763, "zh"), indicator_number("家", 12, "en")
    ('6,375.30', '12')
    """
    return number(value, language, _UNIT_DECIMALS.get(unit, 2))


def _record_name(record: str, language: str) -> str:
    yearly = _YEARLY.match(record)
    if yearly and has_text(f"factor.{yearly['name']}"):
        return text(f"factor.{yearly['name']}", language, year=yearly["year"])
    return item_name(record, language)


def reference_source(source: str, language: str) -> str:
    """Where a reference value comes from, read: dataset (edition) · record · parameter.

    >>> reference_source("ndrc_guideline_defaults@2013:bituminous_coal.ncv", "zh")
    '国家发展改革委核算指南缺省值（2013） · 烟煤 · 低位发热量'
    >>> reference_source("cec_supply_coal_rate@2025:supply_coal_rate_2022", "en")
    'CEC supply coal rates (2025) · supply coal rate 2022'
    >>> reference_source("measured ncv", "zh")
    '实测低位发热量'
    """
    measured = "source." + source.lower().replace(" ", "_")
    if has_text(measured):
        return text(measured, language)
    parts = _SOURCE.match(source)
    if parts is None:
        return source
    shown = [
        text(
            "reference.dataset_edition",
            language,
            dataset=named(("dataset",), parts["dataset"], language),
            edition=parts["edition"],
        ),
        _record_name(parts["record"], language),
    ]
    if parts["param"]:
        shown.append(named(("param",), parts["param"], language))
    return " · ".join(shown)


def reference_value(value: float | int | None, language: str) -> str:
    """A reference value with its significant digits (six at most, five decimals at most), no
    trailing zeros; below 0.001 as a power of ten, as standards print it.

    >>> reference_value(0.30069999999999997, "zh"), reference_value(3.4000000000000007e-05, "en")
    ('0.3007', '3.4×10⁻⁵')
    >>> reference_value(9200.0, "zh"), reference_value(12.142999999999999, "en")
    ('9,200', '12.143')
    >>> reference_value(0.272727273, "zh"), reference_value(173.854, "zh"), reference_value(0, "en")
    ('0.27273', '173.854', '0')
    >>> reference_value(5e-324, "zh")
    '4.94066×10⁻³²⁴'

    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if value == 0:
        return "0"
    # Python's own split into mantissa and exponent: exact down to subnormal floats (5e-324),
    # where dividing by 10**exponent would divide by zero.
    mantissa, exponent = f"{value:.{_SIGNIFICANT - 1}e}".split("e")
    magnitude = int(exponent)
    if magnitude < _SMALLEST_DECIMAL:
        shown = _trimmed(number(float(mantissa), language, _SIGNIFICANT - 1))
        return f"{shown}×10{str(magnitude).translate(_SUPERSCRIPT)}"
    decimals = min(_MAX_DECIMALS, max(0, _SIGNIFICANT - 1 - magnitude))
    return _trimmed(number(float(value), language, decimals))


def _trimmed(shown: str) -> str:
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


_ACCOUNTED = re.compile(
    r"^accounted: factor set (?P<factor_set>[\w-]+), accepted reports(?:, (?P<formulas>[^;]+))?"
    r"(?:; (?P<how>.+))?$"
)
_HOW = (
    (
        re.compile(r"^(?P<level>base|division|sector|enterprise|enterprise_sum) (?P<metric>\w+)$"),
        "source.how_metric",
    ),
    (re.compile(r"^division (?P<division>\d+) (?P<metric>\w+)$"), "source.how_division"),
    (
        re.compile(
            r"^(?P<level>\w+) (?P<metric>\w+) over (?P<statistic>\w+) reported by the office$"
        ),
        "source.how_intensity",
    ),
    (
        re.compile(r"^(?P<weighting>[\w-]+)-weighted over (?P<count>\d+) facilities$"),
        "source.how_weighted",
    ),
)


def factor_set_name(factor_set: str, language: str) -> str:
    """A factor set by its id (``factor_set.<id>``).

    >>> factor_set_name("ningxia", "zh")
    '宁夏'
    """
    return named(("factor_set",), factor_set, language)


def _how(how: str, language: str) -> str:
    for pattern, key in _HOW:
        found = pattern.match(how)
        if found:
            values = found.groupdict()
            if "metric" in values:
                values["metric"] = metric_name(values["metric"], language)
            if "level" in values:
                values["level"] = named(("level",), values["level"], language)
            if "statistic" in values:
                values["statistic"] = named(("statistic",), values["statistic"], language)
            if "weighting" in values:
                values["weighting"] = named(("weighting",), values["weighting"], language)
            return text(key, language, **values)
    return how


def value_source(source: str, language: str) -> str:
    """How an indicator value was obtained (``IndicatorValue.source``), read.

    >>> accounted = "accounted: factor set ningxia, accepted reports, "
    >>> value_source(accounted + "indicator-formulas@2026-12; base co2_net_t", "zh")
    '核算值：因子集 宁夏，已受理月报，公式表 indicator-formulas@2026-12；基地 · 二氧化碳净排放'
    >>> value_source("reported by economic_development_bureau", "en")
    'reported by Economic Development Bureau'
    """
    accounted = _ACCOUNTED.match(source)
    if accounted:
        shown = text(
            "source.accounted",
            language,
            factor_set=factor_set_name(accounted["factor_set"], language),
        )
        if accounted["formulas"]:
            shown += text("source.formulas", language, formulas=accounted["formulas"])
        if accounted["how"]:
            shown += text("source.how", language, how=_how(accounted["how"], language))
        return shown
    reported = re.match(r"^reported by (?P<org>\w+)$", source)
    if reported:
        return text(
            "source.reported_by", language, organisation=org_name(reported["org"], language)
        )
    return source


def assumption_name(path: str, language: str) -> Markup:
    """A scenario assumption by its path in the scenario file, read (a project by its id, as
    code).

    >>> assumption_name("sectors.26.efficiency_gain.mean", "zh")
    Markup('行业26 · 能效提升 · 均值')
    >>> assumption_name("projects[olefins_phase_3].process_co2_t", "en")
    Markup('project <code>olefins_phase_3</code> · process CO2')
    """
    shown: list[str] = []
    project = re.match(r"^projects\[(?P<id>[^\]]+)\]\.(?P<rest>.+)$", path)
    parts: list[str]
    if project:
        code = Markup("<code>{}</code>").format(project["id"])
        shown.append(
            escape(text("assumption.project", language, project="\x00")).replace("\x00", code)
        )
        parts = project["rest"].split(".")
    else:
        parts = path.split(".")
        if parts[0] == "sectors" and len(parts) > 1:
            shown.append(text("assumption.sector", language, sector=parts[1]))
            parts = parts[2:]
    for part in parts:
        shown.append(escape(named(("assumption",), part, language)))
    return Markup(" · ").join(shown)


def assumption_value(value: object, language: str) -> Markup:
    """An assumption's value: a number, a year → number mapping, a named level, or an id (as
    code).

    >>> assumption_value({2026: 1e6, 2028: 2.5e6}, "en"), assumption_value(0.015, "zh")
    (Markup('2026: 1,000,000; 2028: 2,500,000'), Markup('0.015'))
    >>> assumption_value("benchmark", "zh"), assumption_value("needle_coke", "en")
    (Markup('标杆水平'), Markup('<code>needle_coke</code>'))
    """
    if value is None:
        return Markup("")
    if isinstance(value, dict):
        return Markup("; ").join(
            Markup("{}: {}").format(k, assumption_value(v, language)) for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return Markup("; ").join(assumption_value(v, language) for v in value)
    if isinstance(value, bool):
        return escape(text("yes" if value else "no", language))
    if isinstance(value, int | float):
        return escape(reference_value(value, language))
    shown = str(value)
    if has_text(f"assumption_value.{shown}"):
        return escape(text(f"assumption_value.{shown}", language))
    if _IDENTIFIER.match(shown):
        return Markup("<code>{}</code>").format(shown)
    return escape(shown)


def scenario_anchor(source: str, language: str) -> str:
    """Where a scenario's base year comes from (``ScenarioBase.source``), read.

    >>> scenario_anchor("accounted base year 2024: factor set ningxia, data version 7955", "zh")
    '核算基年 2024：因子集 宁夏，数据版本 7955'
    """
    found = _ANCHOR.match(source)
    if found is None:
        return source
    return text(
        "scenario.anchored",
        language,
        year=found["year"],
        factor_set=factor_set_name(found["factor_set"], language),
        version=found["version"],
    )


TEMPLATE_HELPERS = {
    "org_name": org_name,
    "item_name": item_name,
    "metric_name": metric_name,
    "metric_number": metric_number,
    "indicator_number": indicator_number,
    "unit_text": unit_text,
    "reference_source": reference_source,
    "reference_value": reference_value,
    "assumption_name": assumption_name,
    "value_source": value_source,
    "scenario_anchor": scenario_anchor,
    "factor_set_name": factor_set_name,
    "assumption_value": assumption_value,
    "named": named,
    "number": number,
    "amount": amount,
    "text": text,
    "render": render,
    "percent": percent,
    "moment": moment,
}
