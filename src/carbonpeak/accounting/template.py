"""The bilingual Excel report template, and reading it back as an activity table.

One sheet, 月报 Report: a header row whose every label names the field in Chinese and English
with its unit or format, then one row per quantity. The reader accepts the labels or the plain
column ids, and rejects merged cells and missing sheets by name.
"""

from __future__ import annotations

import io
from pathlib import Path
from zipfile import BadZipFile

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from carbonpeak.accounting.activity import OPTIONAL_COLUMNS, PARAMETERS, REQUIRED_COLUMNS, Role
from carbonpeak.accounting.catalogue import items
from carbonpeak.datafile import DataFileError, Problem

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
    guide.append([f"{name_zh} · {enterprise} · {period}"])
    if synthetic:
        guide.append(
            ["合成演示数据，非真实企业数据 · synthetic demo data, not real enterprise data"]
        )
    guide.append(["品种 Item", "名称", "Name", "单位 Unit"])
    for item in items().values():
        guide.append([item.key, item.name_zh, item.name_en, item.unit])
    guide.append([])
    guide.append(["类别 Role"])
    for role in Role:
        guide.append([role.value])
    guide.append([])
    guide.append(["工艺参数 Parameter", "含义 Meaning"])
    for key, meaning in PARAMETERS.items():
        guide.append([key, meaning])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_template(path: str | Path) -> pd.DataFrame:
    """The report sheet as text cells with column ids; raises :class:`DataFileError` naming the
    file and sheet for a missing sheet, merged cells or an unknown header."""
    file = Path(path)
    try:
        book = load_workbook(file, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataFileError(str(file), [Problem("file", f"not an .xlsx workbook: {exc}")]) from exc
    if REPORT_SHEET not in book.sheetnames:
        raise DataFileError(
            str(file),
            [Problem("workbook", "missing sheet", expected=REPORT_SHEET, found=book.sheetnames)],
        )
    sheet = book[REPORT_SHEET]
    where = f"sheet {REPORT_SHEET}"
    merged = [str(r) for r in sheet.merged_cells.ranges]
    if merged:
        raise DataFileError(
            str(file),
            [
                Problem(
                    f"{where}, cells {', '.join(merged)}",
                    "merged cells",
                    expected="one value per cell",
                    found=f"{len(merged)} merged range(s)",
                )
            ],
        )
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        raise DataFileError(str(file), [Problem(where, "empty sheet", expected="a header row")])
    header = ["" if v is None else str(v).strip() for v in values[0]]
    columns, problems = [], []
    for index, label in enumerate(header, start=1):
        key = _BY_LABEL.get(label, label if label in HEADERS else None)
        if key is None and label:
            problems.append(
                Problem(
                    f"{where}, row 1, column {index}",
                    "unknown header",
                    expected="a template header",
                    found=label,
                )
            )
        columns.append(key or f"_blank_{index}")
    if problems:
        raise DataFileError(str(file), problems)
    records = []
    for row in values[1:]:
        cells = ["" if v is None else str(v).strip() for v in row]
        if any(cells):
            records.append(dict(zip(columns, cells, strict=False)))
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame[[c for c in frame.columns if not c.startswith("_blank_")]]
    frame.attrs["sheet"] = REPORT_SHEET  # so that row problems name the sheet too
    return frame
