"""The registry's fields and their checks, one definition for the forms, the API, the CLI and
the bulk import: each field's bilingual label, what it expects, and a parser that raises
``ValueError`` with what was expected. A check returns every problem, located by the caller's
``where`` (file, sheet, row) and the field."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from carbonpeak.accounting.catalogue import items
from carbonpeak.datafile import Problem
from carbonpeak.errors import message_of
from carbonpeak.factors.catalogue import load_dataset
from carbonpeak.factors.model import Parameter
from carbonpeak.messages import message
from carbonpeak.units import UnitError, parse_unit

__all__ = [
    "ENTITIES",
    "Field",
    "check_record",
    "credit_code_check_digit",
    "industry_classes",
    "registry_parameter",
]

CODE = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")
# GB 32100-2015: the 31 characters of the unified social credit code and its check weights.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@cache
def industry_classes() -> dict[str, tuple[str, str]]:
    """GB/T 4754 classes (four digits) the base's registry accepts: code → (Chinese, English)."""
    return {
        str(r.key): (str(r.name_zh), str(r.name_en or r.name_zh))
        for r in load_dataset("gbt4754").records
        if len(str(r.key)) == 4
    }


def credit_code_check_digit(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def _code(text: str) -> str:
    if not CODE.match(text):
        raise ValueError(message("error.fields.code"))
    return text


def _credit_code(text: str) -> str:
    code = text.upper()
    if len(code) != 18 or any(c not in CREDIT_CHARS for c in code):
        raise ValueError(message("error.fields.credit_code"))
    if credit_code_check_digit(code[:17]) != code[17]:
        raise ValueError(
            message("error.fields.check_digit", digit=credit_code_check_digit(code[:17]))
        )
    return code


def _text(text: str) -> str:
    if not text or len(text) > 200:
        raise ValueError(message("error.fields.name"))
    return text


def _sector(text: str) -> str:
    if text not in industry_classes():
        raise ValueError(
            message("error.fields.sector", classes=", ".join(sorted(industry_classes())))
        )
    return text


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(message("error.fields.positive")) from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(message("error.fields.positive"))
    return value


def _unit(text: str) -> str:
    try:
        parse_unit(text)
    except UnitError:
        raise ValueError(message("error.fields.unit")) from None
    return text


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(message("error.fields.date")) from None


def _carrier(text: str) -> str:
    if text not in items():
        raise ValueError(message("error.fields.carrier"))
    return text


def _interval(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError:
        raise ValueError(message("error.fields.interval")) from None
    if not 1 <= value <= 1440 or value != float(text):
        raise ValueError(message("error.fields.interval"))
    return value


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "1", "是"):
        return True
    if lowered in ("false", "no", "0", "否"):
        return False
    raise ValueError(message("error.fields.flag"))


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    parse: Callable[[str], Any]
    required: bool = True

    @property
    def header(self) -> str:
        return f"{self.zh} {self.en}"


ENTITIES: dict[str, tuple[Field, ...]] = {
    "enterprise": (
        Field("code", "企业代码", "Enterprise code", _code),
        Field("credit_code", "统一社会信用代码", "Unified social credit code", _credit_code),
        Field("name_zh", "企业名称", "Name (Chinese)", _text),
        Field("name_en", "英文名称", "Name (English)", _text, required=False),
        Field("sector", "行业代码", "Sector (GB/T 4754 class)", _sector),
        Field("opened_on", "登记日期", "Opened on (YYYY-MM-DD)", _date, required=False),
    ),
    "facility": (
        Field("enterprise", "企业代码", "Enterprise code", _code),
        Field("code", "装置代码", "Facility code", _code),
        Field("name_zh", "装置名称", "Facility name", _text),
        Field("product", "产品", "Product", _text, required=False),
        Field("capacity", "产能", "Capacity", _positive, required=False),
        Field("capacity_unit", "产能单位", "Capacity unit (万t/a, MW …)", _unit, required=False),
        Field("sector", "行业代码", "Sector (GB/T 4754 class)", _sector, required=False),
        Field("commissioned_on", "投产日期", "Commissioned on (YYYY-MM-DD)", _date, required=False),
    ),
    "meter": (
        Field("enterprise", "企业代码", "Enterprise code", _code),
        Field("meter", "计量器具编号", "Meter id", _code),
        Field("carrier", "能源品种", "Energy carrier (item)", _carrier),
        Field("channel", "采集通道", "Channel (collection point)", _text, required=False),
        Field("interval_minutes", "采集间隔（分钟）", "Interval (minutes)", _interval),
        Field("max_interval_value", "单次上限", "Largest plausible reading", _positive),
        Field("calibration_due", "检定有效期至", "Calibration due (YYYY-MM-DD)", _date),
        Field("installed_on", "安装日期", "Installed on (YYYY-MM-DD)", _date, required=False),
    ),
}


def as_text(value: object) -> str:
    """A cell or form value as stripped text ('' for empty); dates as ISO."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_record(
    entity: str, record: dict[str, Any], where: str, partial: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """Parse one record of ``entity``; (values, problems). ``partial`` checks only the fields
    given (a change)."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in ENTITIES[entity]:
        if partial and field.key not in record:
            continue
        text = as_text(record.get(field.key))
        if not text:
            if field.required:
                problems.append(
                    Problem(
                        f"{where}, field {field.key}",
                        message("error.fields.missing"),
                        expected=field.en,
                        found="",
                    )
                )
            values[field.key] = None
            continue
        try:
            values[field.key] = field.parse(text)
        except ValueError as exc:
            problems.append(
                Problem(
                    f"{where}, field {field.key}",
                    message("error.fields.invalid"),
                    expected=message_of(exc) or str(exc),
                    found=text,
                )
            )
    unknown = sorted(set(record) - {f.key for f in ENTITIES[entity]})
    if unknown:
        problems.append(
            Problem(
                where,
                message("error.fields.unknown"),
                expected=message("error.fields.template_fields"),
                found=unknown,
            )
        )
    return values, problems


def registry_parameter(key: str) -> float:
    """A value of the key energy-using unit parameters (reference data ``key_energy_units``)."""
    record = load_dataset("key_energy_units").record(key)
    if not isinstance(record, Parameter):
        raise TypeError(f"key_energy_units:{key} is not a parameter")
    return float(record.value.value)
