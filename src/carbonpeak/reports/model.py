"""The parts of a report."""

from __future__ import annotations

from dataclasses import dataclass, field

from carbonpeak.messages import number, text

__all__ = ["Chart", "Column", "Report", "Section", "Series", "Table", "format_value"]


@dataclass(frozen=True)
class Column:
    key: str
    header_zh: str
    header_en: str
    unit: str | None = None
    digits: int = 1  # decimals shown; the workbook keeps the full value
    nowrap: bool = False  # a short label (a status) that must stay on one line in the PDF


@dataclass(frozen=True)
class Table:
    title_zh: str
    title_en: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, object], ...]
    note: str | None = None


@dataclass(frozen=True)
class Series:
    name_zh: str
    name_en: str
    values: tuple[float | None, ...]  # one per category; None where there is no value


@dataclass(frozen=True)
class Chart:
    """A line chart over categories (years): drawn as SVG in the PDF, as a native chart in the
    workbook, from the same numbers as the table beside it."""

    title_zh: str
    title_en: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    note: str | None = None


@dataclass(frozen=True)
class Section:
    heading_zh: str
    heading_en: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class Report:
    title_zh: str
    title_en: str
    period: str
    sections: tuple[Section, ...]
    synthetic_note: str | None = None  # shown on every page when the data are synthetic
    lineage: tuple[str, ...] = ()  # factor set, datasets, data version, plan version
    generated_at: str = ""  # a moment as the reader reads it (Beijing time)
    metadata: dict[str, str] = field(default_factory=dict)
    language: str = "zh"  # the language of the document's texts and number formats


def format_value(value: object, digits: int = 1, language: str = "zh") -> str:
    """A cell as text in ``language`` (Babel's locale format): grouped digits, fixed decimals,
    empty for missing; a yes/no from the catalogue; a small integer (a year) ungrouped.

    >>> format_value(1234567.891, 2), format_value(None), format_value(float("nan"))
    ('1,234,567.89', '', '')
    >>> format_value(True), format_value(False, language="en"), format_value(2022)
    ('是', 'No', '2022')
    >>> format_value(0.30069999999999997, 3), format_value(12345), format_value(["a", "b"])
    ('0.301', '12,345', 'a，b')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return text("yes" if value else "no", language)
    if isinstance(value, float):
        return number(value, language, digits)
    if isinstance(value, int):
        return number(value, language) if abs(value) >= 10_000 else str(value)
    if isinstance(value, list | tuple):
        return "，".join(str(v) for v in value)
    return str(value)
