"""The registry's life: every field checked with its location, opened/changed/closed with the
history kept, the Excel template imported whole or not at all."""

from __future__ import annotations

import io
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.datafile import DataFileError
from carbonpeak.services.registry_detail import enterprise_detail
from carbonpeak.services.registry_fields import (
    CREDIT_CHARS,
    ENTITIES,
    credit_code_check_digit,
)
from carbonpeak.services.registry_import import SHEETS, import_registry, registry_template
from carbonpeak.services.registry_life import RegistryError, change, close, history, open_entry
from carbonpeak.storage import EnterpriseRow, upgrade
from tests.services.registry_helpers import credit_code, register_power_plant


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


@given(st.text(alphabet=CREDIT_CHARS, min_size=17, max_size=17), st.sampled_from(CREDIT_CHARS))
def test_only_the_check_digit_completes_a_credit_code(first: str, last: str) -> None:
    parse = next(f.parse for f in ENTITIES["enterprise"] if f.key == "credit_code")
    right = credit_code_check_digit(first)
    assert parse(first + right) == first + right
    if last != right:
        with pytest.raises(ValueError, match="check digit"):
            parse(first + last)


def test_a_published_credit_code_checks() -> None:
    # 小米科技有限责任公司, as printed on its business licence.
    assert credit_code_check_digit("91110108551385082") == "Q"


def test_every_bad_field_is_named_and_nothing_is_written(store: Engine) -> None:
    with pytest.raises(DataFileError) as caught:
        open_entry(
            store,
            "enterprise",
            {"code": "bad code", "credit_code": "91640000MA0000001A", "name_zh": "", "sector": "9"},
            "office",
        )
    fields = {p.location.rsplit("field ", 1)[-1]: p for p in caught.value.problems}
    assert set(fields) == {"code", "credit_code", "name_zh", "sector"}
    assert fields["credit_code"].found == "91640000MA0000001A"
    assert "check digit" in str(fields["credit_code"].expected)
    with Session(store) as session:
        assert session.scalar(select(func.count()).select_from(EnterpriseRow)) == 0


def test_open_change_close_keep_the_history(store: Engine) -> None:
    register_power_plant(store)
    open_entry(
        store,
        "meter",
        {
            "enterprise": "nd_power",
            "meter": "m_coal",
            "carrier": "bituminous_coal",
            "interval_minutes": "15",
            "max_interval_value": "80",
            "calibration_due": "2027-06-30",
        },
        "office",
    )
    after = change(store, "meter", "m_coal", {"calibration_due": "2028-06-30"}, "office", "检定")
    assert after["calibration_due"] == "2028-06-30"
    change(store, "facility", "nd_power/unit1", {"capacity": "1000"}, "office", "扩建")
    close(store, "meter", "m_coal", date(2026, 1, 1), "office", "更换")
    with pytest.raises(RegistryError):
        change(store, "meter", "m_coal", {"channel": "x"}, "office")
    with pytest.raises(RegistryError):
        close(store, "meter", "m_coal", date(2026, 1, 2), "office", "again")
    steps = [(h["entity"], h["event"]) for h in history(store, "nd_power")]
    assert steps == [
        ("enterprise", "opened"),
        ("facility", "opened"),
        ("meter", "opened"),
        ("meter", "changed"),
        ("facility", "changed"),
        ("meter", "closed"),
    ]
    changed = history(store, "nd_power")[3]
    assert changed["before"] == {"calibration_due": "2027-06-30"}
    assert changed["after"] == {"calibration_due": "2028-06-30"}
    assert changed["reason"] == "检定"
    detail = enterprise_detail(store, "nd_power")
    assert detail["facilities"][0]["capacity"] == 1000.0
    assert detail["meters"][0]["closed_on"] == "2026-01-01"


def test_a_facility_of_an_unknown_or_closed_enterprise_is_refused(store: Engine) -> None:
    register_power_plant(store)
    close(store, "enterprise", "nd_power", date(2026, 6, 30), "office", "停产")
    with pytest.raises(DataFileError) as caught:
        open_entry(
            store, "facility", {"enterprise": "nd_power", "code": "u2", "name_zh": "2号"}, "x"
        )
    assert caught.value.problems[0].location.endswith("field enterprise")


def _workbook(rows: dict[str, list[list[object]]]) -> bytes:
    book = load_workbook(io.BytesIO(registry_template()))
    for entity, lines in rows.items():
        for line in lines:
            book[SHEETS[entity]].append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_is_all_or_nothing_with_sheet_row_and_field(store: Engine, tmp_path: Path) -> None:
    good = credit_code("1")
    path = tmp_path / "registry.xlsx"
    path.write_bytes(
        _workbook(
            {
                "enterprise": [
                    ["imp_a", good, "导入甲", "Import A", "2614", None],
                    ["imp_b", credit_code("2"), "导入乙", None, "2614", None],
                ],
                "facility": [["imp_a", "mto", "MTO装置", "olefins", 60, "万t/a", "2614", None]],
                "meter": [
                    ["imp_b", "imp_b_e", "electricity", None, 15, 50, "2027-01-01", None],
                    ["imp_b", "imp_b_x", "moonbeams", None, 15, 50, "2027-01-01", None],
                ],
            }
        )
    )
    with pytest.raises(DataFileError) as caught:
        import_registry(store, path, "office")
    (problem,) = caught.value.problems
    assert caught.value.file == "registry.xlsx"
    assert problem.location == f"sheet {SHEETS['meter']}, row 3, field carrier"
    assert problem.found == "moonbeams"
    assert enterprise_detail_count(store) == 0  # nothing from the good rows either
    # The same workbook corrected imports every row.
    book = load_workbook(path)
    book[SHEETS["meter"]]["C3"] = "natural_gas"
    book.save(path)
    result = import_registry(store, path, "office")
    assert (result.enterprises, result.facilities, result.meters) == (2, 1, 2)
    assert enterprise_detail(store, "imp_a")["facilities"][0]["capacity_unit"] == "万t/a"


def test_import_refuses_a_code_already_registered(store: Engine, tmp_path: Path) -> None:
    register_power_plant(store)
    path = tmp_path / "again.xlsx"
    path.write_bytes(
        _workbook({"enterprise": [["nd_power", credit_code("9"), "重复", None, "4411", None]]})
    )
    with pytest.raises(DataFileError) as caught:
        import_registry(store, path, "office")
    assert caught.value.problems[0].location == f"sheet {SHEETS['enterprise']}, row 2, field code"


def enterprise_detail_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(EnterpriseRow)) or 0)


def test_template_headers_are_bilingual() -> None:
    book = load_workbook(io.BytesIO(registry_template()))
    header = [c.value for c in book[SHEETS["enterprise"]][1]]
    assert header[0] == "企业代码 Enterprise code"
    assert all(any(ch in string.ascii_letters for ch in str(h)) for h in header)
