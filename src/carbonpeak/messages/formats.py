"""Numbers and times as a reader in each language expects them, formatted by Babel: grouped
digits and fixed decimals, 万 and 亿 in Chinese where Chinese statistics use them, and times in
Beijing time (UTC+8, the base's clock)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal

from carbonpeak.messages.catalogue import LANGUAGES, LOCALES, text

__all__ = ["BEIJING", "amount", "moment", "number", "percent"]

BEIJING = ZoneInfo("Asia/Shanghai")
# Chinese statistics state large amounts in 万 (10^4) and 亿 (10^8); the threshold is where a
# figure gets more readable in the larger unit.
_CHINESE_MAGNITUDES = ((1e8, "亿"), (1e4, "万"))


def _locale(language: str) -> str:
    return LOCALES[language if language in LOCALES else LANGUAGES[0]]


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value: float | int | None, language: str, decimals: int | None = None) -> str:
    """``value`` with grouped digits and ``decimals`` fixed decimals (an int: none; a float: 2);
    empty when missing.

    >>> number(1234567.891, "zh", 1), number(0.30069999999999997, "en", 4), number(42, "zh")
    ('1,234,567.9', '0.3007', '42')
    >>> number(None, "zh"), number(float("nan"), "en"), number(3.4e-06, "zh", 6)
    ('', '', '0.000003')
    """
    if _missing(value):
        return ""
    assert value is not None
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 2
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round(float(value), decimals)
    return str(format_decimal(rounded + 0.0, format=pattern, locale=_locale(language)))


def amount(value: float | int | None, language: str, decimals: int = 2) -> str:
    """A large amount as Chinese statistics write it (万, 亿); English keeps grouped digits.

    >>> amount(123456789, "zh"), amount(12345.6, "zh", 1), amount(9999, "zh")
    ('1.23亿', '1.2万', '9,999')
    >>> amount(123456789, "en", 0)
    '123,456,789'
    """
    if _missing(value):
        return ""
    assert value is not None
    if language == "zh":
        for scale, suffix in _CHINESE_MAGNITUDES:
            if abs(value) >= scale:
                return number(value / scale, language, decimals) + suffix
    return number(value, language, decimals if isinstance(value, float) else None)


def percent(value: float | int | None, language: str, decimals: int = 1) -> str:
    """A value already in percent, with its sign.

    >>> percent(12.345, "zh"), percent(None, "en")
    ('12.3%', '')
    """
    if _missing(value):
        return ""
    return number(value, language, decimals) + "%"


def moment(when: datetime | str, language: str, with_zone: bool = True) -> str:
    """A time (or its ISO text) in Beijing time; a naive time is taken as UTC, as the store
    keeps it.

    >>> moment(datetime(2026, 12, 5, 16, 53, tzinfo=UTC), "zh")
    '2026-12-06 00:53 北京时间'
    >>> moment(datetime(2026, 12, 5, 16, 53), "en")
    '2026-12-06 00:53 Beijing time'
    >>> moment("2026-12-05T16:53:00+00:00", "zh", with_zone=False)
    '2026-12-06 00:53'
    """
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    shown = str(
        format_datetime(aware, "yyyy-MM-dd HH:mm", tzinfo=BEIJING, locale=_locale(language))
    )
    return f"{shown} {text('beijing_time', language)}" if with_zone else shown
