"""A corpus of malformed report files: each gets a clear error and writes nothing."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.accounting import read_table
from carbonpeak.accounting.template import REPORT_SHEET, write_template
from carbonpeak.datafile import DataFileError
from carbonpeak.services.registry import register_enterprises
from carbonpeak.services.submissions import ingest
from carbonpeak.storage import (
    ActivityRecordRow,
    AuditEntryRow,
    SubmissionRow,
    make_engine,
    upgrade,
)
from tests.conftest import add_enterprise

TODAY = date(2026, 11, 23)
HEADER = "enterprise,facility,sector,period,item,role,quantity,unit,purpose"
GOOD = [
    "E1,boiler,2614,2026-09,bituminous_coal,energy_input,1200,t,fuel",
    "E1,boiler,2614,2026-09,electricity,energy_input,350,MWh,",
]


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def replace(old: str, new: str, row: int = 0) -> bytes:
    rows = list(GOOD)
    rows[row] = rows[row].replace(old, new)
    return csv(*rows)


def workbook(mutate: str) -> bytes:
    """A filled template with one defect."""
    from openpyxl import load_workbook

    content = write_template(
        "E1",
        "测试企业",
        "2614",
        "2026-09",
        pd.DataFrame(
            {
                "facility": ["boiler"],
                "item": ["bituminous_coal"],
                "role": ["energy_input"],
                "purpose": ["fuel"],
                "unit": ["t"],
            }
        ),
    )
    book = load_workbook(io.BytesIO(content))
    sheet = book[REPORT_SHEET]
    sheet["H2"] = "1200"
    if mutate == "missing_sheet":
        sheet.title = "Sheet1"
    elif mutate == "merged":
        sheet.merge_cells("B2:C2")
    elif mutate == "unknown_header":
        sheet["A1"] = "公司 Company"
    elif mutate == "text_quantity":
        sheet["H2"] = "一千二"
    elif mutate == "blank_row_then_error":
        # Row 3 left blank; the error is in row 4, and must be called row 4 (as Excel shows).
        for column in range(1, 17):
            sheet.cell(4, column).value = sheet.cell(2, column).value
        sheet["D4"] = "2026-08"
        sheet["H4"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def far_cell(declared: bool, row: int = 1048576, column: str = "XFD") -> bytes:
    """The template with one cell written at ``column``+``row`` (and, if ``declared``, the
    sheet's dimension declaring it): 8 KB that would unpack to a 17-billion-cell grid."""
    source = zipfile.ZipFile(io.BytesIO(workbook("none")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                far = (
                    f'<row r="{row}"><c r="{column}{row}" t="inlineStr"><is><t>x</t></is></c></row>'
                )
                text = text.replace("</sheetData>", far + "</sheetData>")
                text = re.sub(
                    r'<dimension ref="[^"]*"\s*/>',
                    f'<dimension ref="A1:{column}{row}"/>' if declared else "",
                    text,
                )
                data = text.encode()
            target.writestr(member, data)
    return out.getvalue()


def ncv_row(ncv: str, unit: str = "GJ/t", item: str = "bituminous_coal") -> bytes:
    row = GOOD[0].replace("bituminous_coal", item)
    if item == "coke_oven_gas":
        row = row.replace(",1200,t,", ",100,万Nm3,")
    return csv(f"{row},{ncv},{unit}", header=HEADER + ",ncv,ncv_unit")


def carbon_row(carbon: str, unit: str = "tC/t") -> bytes:
    return csv(f"{GOOD[0]},{carbon},{unit}", header=HEADER + ",carbon_content,carbon_content_unit")


def oxidation_row(rate: str) -> bytes:
    return csv(f"{GOOD[0]},{rate}", header=HEADER + ",oxidation_rate")


def gbk_after_ascii() -> tuple[bytes, int, int]:
    """A CSV whose first non-UTF-8 byte comes late: (content, its offset, its row)."""
    ascii_rows = [GOOD[0].replace("1200", str(1200 + i)) for i in range(8)]
    gbk_row = GOOD[1].replace("boiler", "锅炉")
    content = csv(*ascii_rows, gbk_row).decode().encode("gbk")
    offset = content.index("锅炉".encode("gbk"))
    return content, offset, 10  # header, eight rows, then the GBK row


GBK_LATE, GBK_OFFSET, GBK_ROW = gbk_after_ascii()
MALFORMED_UNITS = ("MWh-", "/", "GJ/", "1/0", "(")

# (file name, content, text the error must contain)
CORPUS: list[tuple[str, bytes, str]] = [
    ("missing_sheet.xlsx", workbook("missing_sheet"), "missing sheet"),
    ("merged_cells.xlsx", workbook("merged"), "merged cells"),
    ("unknown_header.xlsx", workbook("unknown_header"), "unknown header"),
    (
        "text_quantity.xlsx",
        workbook("text_quantity"),
        "sheet 月报 Report: 1 problem(s)\n  row 2, column quantity",
    ),
    ("corrupt.xlsx", b"PK this is not a workbook", "not an .xlsx workbook"),
    ("wrong_unit.csv", replace(",t,", ",MWh,"), "row 2, column unit"),
    ("unit_unknown.csv", replace(",t,", ",吨吨,"), "unit does not fit"),
    ("text_in_number.csv", replace("1200", "一千二百"), "row 2, column quantity"),
    ("infinite_number.csv", replace("1200", "inf"), "not a number"),
    ("negative.csv", replace("1200", "-1200"), "negative quantity"),
    ("gbk.csv", csv(*GOOD).decode().replace("E1", "宁东一号").encode("gbk"), "not UTF-8"),
    ("duplicated_rows.csv", csv(GOOD[0], GOOD[0], GOOD[1]), "duplicate of an earlier row"),
    ("unknown_enterprise.csv", replace("E1", "E404"), "unknown enterprise"),
    ("future_month.csv", replace("2026-09", "2027-01"), "has not ended"),
    ("current_month.csv", replace("2026-09", "2026-11"), "has not ended"),
    ("bad_period.csv", replace("2026-09", "2026/9"), "row 2, column period"),
    ("empty_period.csv", replace("2026-09", ""), "not a month"),
    ("unknown_item.csv", replace("bituminous_coal", "moon_rock"), "unknown item"),
    ("unknown_role.csv", replace("energy_input", "burnt"), "unknown role"),
    ("bad_purpose.csv", replace(",fuel", ",decoration"), "purpose does not fit"),
    (
        "missing_column.csv",
        csv(
            "E1,boiler,2614,2026-09,bituminous_coal,energy_input,1200,fuel",
            header=HEADER.replace(",unit", ""),
        ),
        "missing column",
    ),
    (
        "unknown_column.csv",
        csv(*(r + ",x" for r in GOOD), header=HEADER + ",colour"),
        "unknown column",
    ),
    ("truncated.csv", csv(GOOD[0], "E1,boiler,2614,2026-09,electri"), "row 3"),
    ("empty.csv", b"", "cannot read"),
    ("header_only.csv", csv(), "no rows to ingest"),
    ("bad_sector.csv", replace(",2614,", ",26A4,"), "not a GB/T 4754 code"),
    (
        "coal_with_certificate.csv",
        csv(GOOD[0] + ",true", header=HEADER + ",green_certificate"),
        "only electricity",
    ),
    (
        "oxidation_percent.csv",
        csv(GOOD[0] + ",93", header=HEADER + ",oxidation_rate"),
        "out of range",
    ),
    (
        "ncv_wrong_unit.csv",
        csv(GOOD[0] + ",21,kg", header=HEADER + ",ncv,ncv_unit"),
        "NCV unit does not fit",
    ),
    (
        "clinker_without_oxides.csv",
        csv("E1,kiln,3011,2026-09,clinker,product_output,1000,t,"),
        "CaO and MgO",
    ),
    (
        "carbon_output_without_content.csv",
        csv("E1,gasifier,2614,2026-09,carbon_bearing_output,carbon_output,10,t,"),
        "measured carbon content",
    ),
    (
        "bad_parameter.csv",
        csv(GOOD[0] + ",colour=7", header=HEADER + ",parameters"),
        "bad parameter",
    ),
    ("malformed.json", b'[{"enterprise": "E1", "period": ', "cannot read"),
    ("not_a_list.json", b'{"enterprise": "E1"}', "cannot read"),
    ("corrupt.parquet", b"this is not parquet", "cannot read"),
    ("report.xls", csv(*GOOD), "unsupported file type"),
    # Issue 13: an item with no default coefficient needs its measured NCV, at ingest.
    ("coke_oven_gas_blank_ncv.csv", ncv_row("", "", "coke_oven_gas"), "no standard-coal"),
    ("coke_oven_gas_text_ncv.csv", ncv_row("high", "GJ/万Nm3", "coke_oven_gas"), "not a number"),
    (
        "coke_oven_gas_no_ncv_column.csv",
        replace("bituminous_coal,energy_input,1200,t", "coke_oven_gas,energy_input,100,万Nm3"),
        "row 2, column item: no standard-coal coefficient",
    ),
    # Measured values: text, negative, infinite, 1e300.
    ("carbon_text.csv", carbon_row("high"), "row 2, column carbon_content: not a number"),
    ("carbon_chinese_text.csv", carbon_row("五成八"), "column carbon_content: not a number"),
    ("carbon_negative.csv", carbon_row("-0.5"), "negative carbon content"),
    ("carbon_infinite.csv", carbon_row("inf"), "column carbon_content: not a number"),
    ("carbon_huge.csv", carbon_row("1e300"), "column carbon_content: out of range"),
    ("carbon_per_heat_huge.csv", carbon_row("0.5", "tC/GJ"), "carbon_content: out of range"),
    ("carbon_unit_without_value.csv", carbon_row("", "tC/t"), "a carbon content unit without"),
    ("ncv_text.csv", ncv_row("abc"), "row 2, column ncv: not a number"),
    ("ncv_negative.csv", ncv_row("-21"), "NCV must be positive"),
    ("ncv_infinite.csv", ncv_row("inf"), "column ncv: not a number"),
    ("ncv_huge.csv", ncv_row("1e300"), "column ncv: out of range"),
    ("ncv_unit_without_ncv.csv", ncv_row("", "GJ/t"), "an NCV unit without an NCV"),
    ("oxidation_text.csv", oxidation_row("most"), "column oxidation_rate: not a number"),
    ("oxidation_negative.csv", oxidation_row("-0.9"), "out of range"),
    ("oxidation_infinite.csv", oxidation_row("inf"), "column oxidation_rate: not a number"),
    ("oxidation_huge.csv", oxidation_row("1e300"), "out of range"),
    ("quantity_huge.csv", replace("1200", "1e300"), "column quantity: out of range"),
    ("quantity_nan.csv", replace("1200", "nan"), "column quantity: not a number"),
    ("quantity_thousands.csv", replace(",1200,", ',"1,200",'), "column quantity: not a number"),
    (
        "parameter_out_of_range.csv",
        csv(GOOD[0] + ",purity=7", header=HEADER + ",parameters"),
        "purity out of range",
    ),
    # Malformed unit strings: refused as problems, never a traceback.
    *[
        (f"unit_{i}.csv", replace(",t,", f",{unit},"), "row 2, column unit: unit does not fit")
        for i, unit in enumerate(MALFORMED_UNITS)
    ],
    *[
        (f"ncv_unit_{i}.csv", ncv_row("21", unit), "row 2, column ncv_unit: NCV unit does not")
        for i, unit in enumerate(MALFORMED_UNITS)
    ],
    *[
        (f"carbon_unit_{i}.csv", carbon_row("0.5", unit), "carbon content unit does not fit")
        for i, unit in enumerate(MALFORMED_UNITS)
    ],
    # Registry consistency.
    (
        "sector_contradicts_registry.csv",
        csv(*(row.replace(",2614,", ",2511,") for row in GOOD)),
        "sector contradicts",
    ),
    ("unknown_facility.csv", csv(GOOD[0].replace("E1,boiler", "E2,kiln")), "unknown facility"),
    # Errors that help.
    ("gbk_late.csv", GBK_LATE, f"byte {GBK_OFFSET} (0x"),
    ("gbk_late_row.csv", GBK_LATE, f"row {GBK_ROW}: not UTF-8"),
    ("zip_named.csv", workbook("none"), "not a CSV text file"),
    ("pdf_named.csv", b"%PDF-1.7\n%binary\n", "not a CSV text file"),
    ("nul_bytes.csv", b"enterprise,period\x00\x01\x02", "not a CSV text file"),
    ("blank_row_then_error.xlsx", workbook("blank_row_then_error"), "row 4, column quantity"),
    ("blank_line_then_error.csv", csv(GOOD[0], "", GOOD[1].replace("350", "x")), "row 4, column"),
    # Uploads that would exhaust memory: refused from the declared size or at the first row
    # past the limits.
    ("bomb_declared.xlsx", far_cell(declared=True), "sheet too large"),
    ("bomb_undeclared.xlsx", far_cell(declared=False), "sheet too large"),
    ("bomb_wide_row.xlsx", far_cell(declared=False, row=3), "sheet too large"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'store.sqlite3'}")
    upgrade(engine)
    add_enterprise(engine)
    register_enterprises(  # E2 has a facility registry: reports must name its facilities
        engine,
        pd.DataFrame(
            [
                {
                    "id": "E2",
                    "credit_code": "91640000TEST0000E2",
                    "name_zh": "测试企业二",
                    "name_en": "Test enterprise 2",
                    "sector": "2614",
                    "key_energy_unit": True,
                    "synthetic": True,
                }
            ]
        ),
        pd.DataFrame(
            [
                {
                    "enterprise": "E2",
                    "facility": "boiler",
                    "product": "steam",
                    "capacity": 100.0,
                    "capacity_unit": "t/h",
                    "commissioned": "2020-01",
                }
            ]
        ),
        "test",
    )
    yield engine
    engine.dispose()


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (SubmissionRow, ActivityRecordRow, AuditEntryRow)
        )  # type: ignore[return-value]


def test_corpus_has_at_least_25_cases() -> None:
    assert len(CORPUS) >= 25


@pytest.mark.parametrize(("name", "content", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_malformed_file_is_rejected_whole(
    store: Engine, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = counts(store)
    with pytest.raises(DataFileError) as caught:
        ingest(store, read_table(path), str(path), "test", today=TODAY)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message, message
    assert counts(store) == before


def test_amendment_without_reason_writes_nothing(store: Engine, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_bytes(csv(*GOOD))
    ingest(store, read_table(first), str(first), "test", today=TODAY)
    before = counts(store)
    changed = tmp_path / "changed.csv"
    changed.write_bytes(replace("1200", "1300"))
    with pytest.raises(DataFileError, match="an amendment needs a reason"):
        ingest(store, read_table(changed), str(changed), "test", today=TODAY)
    assert counts(store) == before


def test_template_round_trip(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "E1-2026-08.xlsx"
    content = write_template(
        "E1",
        "测试企业",
        "2614",
        "2026-08",
        pd.DataFrame(
            {
                "facility": ["boiler"],
                "item": ["bituminous_coal"],
                "role": ["energy_input"],
                "purpose": ["fuel"],
                "unit": ["t"],
            }
        ),
    )
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    book[REPORT_SHEET]["H2"] = 800
    book.save(path)
    headers = {h.split(" ")[1]: h for h in (c.value for c in book[REPORT_SHEET][1])}
    assert all(re.search("[一-鿿]", h) and re.search("[A-Za-z]", h) for h in headers.values())
    for measured in ("Period", "Quantity", "Unit", "Measured", "NCV", "Carbon", "Oxidation"):
        assert "(" in headers[measured], headers[measured]  # the unit or format is stated
    result = ingest(store, read_table(path), str(path), "E1 clerk", today=TODAY)
    assert result.created == [("E1", "2026-08", 1)]
