"""The bilingual Excel report template, and reading it back as an activity table.

One sheet, 月报 Report: a header row whose every label names the field in Chinese and English
with its unit or format, then one row per quantity. The reader accepts the labels or the plain
column ids, and rejects merged cells and missing sheets by name.
"""

from __future__ import annotations

import io
from collections.abc import Generator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from zipfile import BadZipFile, ZipFile

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from carbonpeak.accounting.catalogue import items
from carbonpeak.accounting.columns import OPTIONAL_COLUMNS, PARAMETERS, REQUIRED_COLUMNS, Role
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.messages import message, text
from carbonpeak.settings import Settings, settings

__all__ = ["GUIDE_SHEET", "HEADERS", "REPORT_SHEET", "read_template", "write_template"]

REPORT_SHEET = "月报 Report"
GUIDE_SHEET = "说明 Guide"
HEADERS = {
    "enterprise": "企业代码 Enterprise code",
    "facility": "装置 Facility",
    "sector": "行业代码 Sector (GB/T 4754)",
    "period": "期间 Period (YYYY-MM)",
    "item": "品种 Item (见说明 see Guide)",
    "role": "类别 Role (见说明 see Guide)",
    "purpose": "用途 Purpose (fuel/feedstock/conversion)",
    "quantity": "数量 Quantity (按单位列 in the Unit column)",
    "unit": "单位 Unit (t, 万t, MWh, 万kWh, 万Nm3, GJ …)",
    "ncv": "实测低位发热量 Measured NCV (按发热量单位 in NCV unit)",
    "ncv_unit": "发热量单位 NCV unit (GJ/t, kJ/kg, MJ/Nm3)",
    "carbon_content": "实测含碳量 Measured carbon (按含碳量单位 in carbon unit)",
    "carbon_content_unit": "含碳量单位 Carbon unit (tC/t, tC/GJ)",
    "oxidation_rate": "碳氧化率 Oxidation rate (0-1)",
    "green_certificate": "绿证 Green certificate (true/false)",
    "parameters": "工艺参数 Parameters (key=value;…)",
}
_BY_LABEL = {label: key for key, label in HEADERS.items()}
assert set(HEADERS) == {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}, "a column lacks a template header"


def write_template(
    enterprise: str,
    name_zh: str,
    sector: str,
    period: str,
    rows: pd.DataFrame | None = None,
    synthetic: bool = False,
) -> bytes:
    """An .xlsx template for one enterprise and month, pre-filled with ``rows`` (its usual
    items: facility, item, role, purpose, unit) and empty quantities."""
    book = Workbook()
    sheet = book.active
    sheet.title = REPORT_SHEET
    ordered = list(HEADERS)  # every activity column, in the order a clerk fills them
    sheet.append([HEADERS[c] for c in ordered])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(1, len(ordered) + 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 18
    prefill = (
        rows
        if rows is not None
        else pd.DataFrame(columns=["facility", "item", "role", "purpose", "unit"])
    )
    for row in prefill.to_dict("records"):
        values = {
            "enterprise": enterprise,
            "sector": sector,
            "period": period,
            **{k: row.get(k, "") for k in ("facility", "item", "role", "purpose", "unit")},
        }
        sheet.append([values.get(c, "") for c in ordered])
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(GUIDE_SHEET)
    # A Chinese document with bilingual headers; the first column of each guide table holds the
    # codes a clerk types into the report sheet.
    guide.append([f"{name_zh} · {period}"])
    if synthetic:
        guide.append(
            ["合成演示数据，非真实企业数据 · synthetic demo data, not real enterprise data"]
        )
    guide.append(["品种代码 Item code", "名称", "Name", "单位 Unit"])
    for item in items().values():
        guide.append([item.key, item.name_zh, item.name_en, item.unit])
    guide.append([])
    guide.append(["类别代码 Role code", "名称", "Name"])
    for role in Role:
        key = f"activity_role.{role.value}"
        guide.append([role.value, text(key, "zh"), text(key, "en")])
    guide.append([])
    guide.append(["参数代码 Parameter code", "含义", "Meaning"])
    for parameter in PARAMETERS:
        key = f"template_parameter.{parameter}"
        guide.append([parameter, text(key, "zh"), text(key, "en")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _unpacked_size(file: Path, limits: Settings) -> None:
    """Refuse a workbook that would unpack beyond ``max_unpacked_bytes`` (a zip bomb), from the
    zip directory alone."""
    try:
        with ZipFile(file) as archive:
            members = archive.infolist()
    except (BadZipFile, OSError, ValueError) as exc:
        raise DataFileError(str(file), [Problem("file", f"not an .xlsx workbook: {exc}")]) from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes or len(members) > 1000:
        raise DataFileError(
            str(file),
            [
                Problem(
                    "file",
                    message("error.template.workbook_too_large"),
                    expected=message(
                        "error.template.unpacked_limit", limit=limits.max_unpacked_bytes
                    ),
                    found=f"{unpacked} bytes in {len(members)} parts",
                )
            ],
        )


def _merged_ranges(sheet: ReadOnlyWorksheet) -> list[str]:
    """The sheet's merged ranges, read by streaming its XML (read-only sheets do not keep them)."""
    found = []
    with sheet._get_source() as source:
        for _event, element in ElementTree.iterparse(source, events=("end",)):
            if element.tag.endswith("}mergeCell"):
                found.append(str(element.get("ref")))
            element.clear()
    return found


def _check_dimensions(file: Path, sheet: ReadOnlyWorksheet, where: str, limits: Settings) -> None:
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > limits.max_rows + 1 or columns > limits.max_columns:
        raise DataFileError(
            str(file),
            [
                Problem(
                    where,
                    message("error.template.sheet_too_large"),
                    expected=message(
                        "error.template.dimension_limit",
                        rows=limits.max_rows,
                        columns=limits.max_columns,
                    ),
                    found=f"{rows} rows × {columns} columns (to {sheet.calculate_dimension()})",
                )
            ],
        )


def read_template(path: str | Path, limits: Settings | None = None) -> pd.DataFrame:
    """The report sheet as text cells with column ids; raises :class:`DataFileError` naming the
    file and sheet for a missing sheet, merged cells, an unknown header or a sheet beyond the
    limits. The workbook is read in openpyxl's read-only (streaming) mode, after its unpacked
    size and the sheet's declared dimensions are checked; rows are read only up to the limits,
    so memory stays bounded whatever the file declares. Row numbers are Excel's
    (``attrs["rows"]``), blank rows included."""
    limits = limits or settings()
    file = Path(path)
    _unpacked_size(file, limits)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataFileError(str(file), [Problem("file", f"not an .xlsx workbook: {exc}")]) from exc
    try:
        return _read_report_sheet(file, book, limits)
    finally:
        book.close()


def _read_report_sheet(file: Path, book: Any, limits: Settings) -> pd.DataFrame:
    if REPORT_SHEET not in book.sheetnames:
        raise DataFileError(
            str(file),
            [
                Problem(
                    "workbook",
                    message("error.template.missing_sheet"),
                    expected=REPORT_SHEET,
                    found=book.sheetnames,
                )
            ],
        )
    sheet = book[REPORT_SHEET]
    where = f"sheet {REPORT_SHEET}"
    _check_dimensions(file, sheet, where, limits)
    merged = _merged_ranges(sheet)
    if merged:
        raise DataFileError(
            str(file),
            [
                Problem(
                    f"{where}, cells {', '.join(merged)}",
                    message("error.template.merged_cells"),
                    expected=message("error.template.one_value_per_cell"),
                    found=f"{len(merged)} merged range(s)",
                )
            ],
        )
    # Declared dimensions can lie (or be absent): stream the rows as stored, unpadded, and stop
    # at the first row or cell beyond the limits. Memory holds one row at a time.
    sheet.reset_dimensions()
    values = sheet.iter_rows(min_row=1, values_only=True)
    try:
        return _records(file, values, where, limits)
    finally:
        values.close()  # the generator holds the sheet's zip member open


def _records(
    file: Path, values: Generator[tuple[Any, ...]], where: str, limits: Settings
) -> pd.DataFrame:
    first = next(values, None)
    if first is None or not any(v is not None for v in first):
        raise DataFileError(
            str(file),
            [
                Problem(
                    where,
                    message("error.template.empty_sheet"),
                    expected=message("error.template.header_row"),
                )
            ],
        )
    header = ["" if v is None else str(v).strip() for v in first]
    columns: list[str] = []
    problems: list[Problem] = []
    if any(header[limits.max_columns :]):
        problems.append(
            Problem(
                where,
                message("error.template.too_many_columns"),
                expected=message("error.template.column_limit", columns=limits.max_columns),
                found=f"a header in column {limits.max_columns + 1}",
            )
        )
    header = header[: limits.max_columns]
    while header and not header[-1]:
        header.pop()
    for index, label in enumerate(header, start=1):
        key = _BY_LABEL.get(label, label if label in HEADERS else None)
        if key is None and label:
            problems.append(
                Problem(
                    f"{where}, row 1, column {index}",
                    message("error.template.unknown_header"),
                    expected=message("error.template.template_header"),
                    found=label,
                )
            )
        columns.append(key or f"_blank_{index}")
    if problems:
        raise DataFileError(str(file), problems)
    records, lines = [], []
    for line, row in enumerate(values, start=2):
        if line > limits.max_rows + 1 or any(v is not None for v in row[limits.max_columns :]):
            raise DataFileError(
                str(file),
                [
                    Problem(
                        f"{where}, row {line}",
                        message("error.template.sheet_too_large"),
                        expected=message(
                            "error.template.row_limit",
                            rows=limits.max_rows,
                            columns=limits.max_columns,
                        ),
                        found="a row or a value beyond them",
                    )
                ],
            )
        cells = ["" if v is None else str(v).strip() for v in row]
        cells += [""] * (len(columns) - len(cells))  # rows are stored unpadded
        if any(cells):
            records.append(dict(zip(columns, cells, strict=False)))
            lines.append(line)
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame[[c for c in frame.columns if not c.startswith("_blank_")]]
    frame.attrs["sheet"] = REPORT_SHEET  # so that row problems name the sheet too
    frame.attrs["rows"] = lines  # Excel's row numbers: blank rows are skipped, not renumbered
    return frame
