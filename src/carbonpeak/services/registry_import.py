"""Bulk registration from the bilingual Excel registry template: three sheets (enterprises,
facilities, meters) with a header row of Chinese and English labels. The workbook is checked
whole (every field of every row, then against the store and within the file) and stored in one
transaction, or not at all; each problem names the file, sheet, row, field, expected and
found, as report uploads do."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from carbonpeak.accounting.catalogue import items
from carbonpeak.accounting.files import check_size
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.services.registry_fields import ENTITIES, as_text, check_record, industry_classes
from carbonpeak.services.registry_life import open_in_session
from carbonpeak.settings import Settings, settings

__all__ = ["SHEETS", "ImportResult", "import_registry", "read_registry", "registry_template"]

SHEETS = {
    "enterprise": "企业 Enterprises",
    "facility": "装置 Facilities",
    "meter": "计量器具 Meters",
}
GUIDE = "说明 Guide"


@dataclass(frozen=True)
class ImportResult:
    enterprises: int
    facilities: int
    meters: int


def registry_template() -> bytes:
    """The empty registry workbook, with a guide to the sector classes and energy carriers."""
    book = Workbook()
    book.remove(book.active)
    for entity, title in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([field.header for field in ENTITIES[entity]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            sheet.column_dimensions[cell.column_letter].width = 22
        sheet.freeze_panes = "A2"
    guide = book.create_sheet(GUIDE)
    guide.append(["行业代码 Sector (GB/T 4754)", "名称", "Name"])
    for code, (zh, en) in industry_classes().items():
        guide.append([code, zh, en])
    guide.append([])
    guide.append(["能源品种代码 Energy carrier code", "名称", "Name", "单位 Unit"])
    for item in items().values():
        guide.append([item.key, item.name_zh, item.name_en, item.unit])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_rows(
    file: Path, book: Any, entity: str, limits: Settings
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    title = SHEETS[entity]
    if title not in book.sheetnames:
        return [], [Problem("workbook", "missing sheet", expected=title, found=book.sheetnames)]
    by_label = {}
    for field in ENTITIES[entity]:
        by_label[field.header] = field.key
        by_label[field.key] = field.key
    rows = book[title].iter_rows(values_only=True)
    header = [as_text(v) for v in next(rows, ())]
    problems = [
        Problem(
            f"sheet {title}, row 1, column {index}",
            "unknown header",
            expected="a template header",
            found=text,
        )
        for index, text in enumerate(header, start=1)
        if text and text not in by_label
    ]
    records = []
    for line, values in enumerate(rows, start=2):
        if line > limits.max_rows + 1:
            problems.append(
                Problem(
                    f"sheet {title}, row {line}",
                    "sheet too large",
                    expected=f"at most {limits.max_rows} rows",
                    found=f"row {line}",
                )
            )
            break
        cells = {
            by_label[h]: as_text(v)
            for h, v in zip(header, values, strict=False)
            if h in by_label and as_text(v)
        }
        if cells:
            records.append((line, cells))
    return records, problems


def read_registry(path: Path, limits: Settings | None = None) -> dict[str, list[Any]]:
    """The template's rows per entity: (row number, cells); problems of the workbook's shape
    raise :class:`DataFileError`."""
    limits = limits or settings()
    check_size(path, path.stat().st_size, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataFileError(
            path.name, [Problem("file", "not an .xlsx workbook", ".xlsx", str(exc))]
        ) from exc
    try:
        found: dict[str, list[Any]] = {}
        problems: list[Problem] = []
        for entity in SHEETS:
            found[entity], sheet_problems = _sheet_rows(path, book, entity, limits)
            problems += sheet_problems
    finally:
        book.close()
    if problems:
        raise DataFileError(path.name, problems)
    return found


def import_registry(
    engine: Engine, path: Path, actor: str, limits: Settings | None = None
) -> ImportResult:
    """Register every row of the workbook, or none: all problems are raised together."""
    sheets = read_registry(path, limits)
    checked: list[tuple[str, str, dict[str, Any]]] = []
    problems: list[Problem] = []
    for entity, rows in sheets.items():
        for line, cells in rows:
            where = f"sheet {SHEETS[entity]}, row {line}"
            values, found = check_record(entity, cells, where)
            problems += found
            checked.append((entity, where, values))
    if problems:
        raise DataFileError(path.name, problems[:200])
    if not checked:
        raise DataFileError(
            path.name, [Problem("workbook", "no rows", expected="at least one row", found=0)]
        )
    with Session(engine) as session, session.begin():
        for entity, where, values in checked:  # enterprises first, so facilities find theirs
            problems += open_in_session(session, entity, values, actor, where)
        if problems:  # raised inside the transaction: it is rolled back whole
            raise DataFileError(path.name, problems[:200])
    counts = {e: sum(1 for c in checked if c[0] == e) for e in SHEETS}
    return ImportResult(counts["enterprise"], counts["facility"], counts["meter"])
