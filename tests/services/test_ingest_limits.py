"""Issue 13: limits on what a report file may hold, numbers read one way everywhere, and the
accounting checks run at ingest and at review so an accepted report cannot break an account."""

from __future__ import annotations

import io
import json
import sqlite3
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from carbonpeak.accounting import account, parse_activity, read_table
from carbonpeak.datafile import DataFileError
from carbonpeak.services.submissions import (
    SubmissionConflict,
    accepted_activity,
    ingest,
    review,
)
from carbonpeak.settings import Settings, settings
from carbonpeak.storage import ActivityRecordRow, SubmissionRow, make_engine, upgrade
from tests.conftest import add_enterprise
from tests.services.test_ingest_malformed import GOOD, HEADER, csv, far_cell, workbook

TODAY = date(2026, 11, 23)
SMALL = settings().replace(max_rows=3, max_upload_bytes=65_536, max_unpacked_bytes=200_000)


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet", ".xlsx"])
def test_row_limit_for_every_format(tmp_path: Path, suffix: str) -> None:
    rows = [GOOD[0].replace("1200", str(1200 + i)) for i in range(5)]
    frame = pd.read_csv(io.StringIO(csv(*rows).decode()), dtype=str)
    path = tmp_path / f"many{suffix}"
    if suffix == ".csv":
        path.write_bytes(csv(*rows))
    elif suffix == ".json":
        path.write_text(json.dumps(frame.to_dict("records")))
    elif suffix == ".parquet":
        frame.to_parquet(path)
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(workbook("none")))
        sheet = book.worksheets[0]
        for index in range(5):
            for column in range(1, 17):
                sheet.cell(3 + index, column).value = sheet.cell(2, column).value
        book.save(path)
    with pytest.raises(DataFileError) as caught:
        read_table(path, SMALL)
    assert "too many rows" in str(caught.value) or "sheet too large" in str(caught.value)
    assert read_table(path, settings()).shape[0] >= 5  # within the default limits it reads


def test_file_size_limit_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.csv", csv(*GOOD) + b"#" * 70_000)
    with pytest.raises(DataFileError, match="file too large"):
        read_table(path, SMALL)


def test_zip_bomb_refused_from_the_zip_directory(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * 1_000_000)  # 1 MB of zeros: ~1 KB
    path = _write(tmp_path, "bomb.xlsx", buffer.getvalue())
    with pytest.raises(DataFileError, match="too large when unpacked"):
        read_table(path, SMALL)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_xlsx_bomb_is_refused_in_bounded_memory(tmp_path: Path, declared: bool) -> None:
    """The 8 KB workbook with a cell at XFD1048576 that took a server from 408 MB to 9.2 GB."""
    content = far_cell(declared=declared)
    assert len(content) < 16_000
    path = _write(tmp_path, "bomb.xlsx", content)
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match="sheet too large"):
            read_table(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, peak  # Python allocations while refusing it: bounded, not GB


def test_full_width_digits_read_the_same_in_every_numeric_column() -> None:
    header = HEADER + ",ncv,ncv_unit,carbon_content,carbon_content_unit,oxidation_rate"
    ascii_row = GOOD[0] + ",21.5,GJ/t,0.58,tC/t,0.93"
    wide_row = GOOD[0].replace("1200", "１２００") + ",２１．５,GJ/t,０．５８,tC/t,０．９３"
    ascii_parsed = parse_activity(
        pd.read_csv(
            io.StringIO(csv(ascii_row, header=header).decode()), dtype=str, keep_default_na=False
        )
    )
    wide_parsed = parse_activity(
        pd.read_csv(
            io.StringIO(csv(wide_row, header=header).decode()), dtype=str, keep_default_na=False
        )
    )
    columns = ["quantity", "ncv_gj", "carbon_tc", "oxidation_rate"]
    assert wide_parsed[columns].equals(ascii_parsed[columns])
    assert ascii_parsed["carbon_tc"].iloc[0] == pytest.approx(0.58)


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    add_enterprise(engine)
    return engine


def _frame(item: str = "bituminous_coal", quantity: str = "1200", unit: str = "t") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "enterprise": "E1",
                "period": "2026-09",
                "item": item,
                "role": "energy_input",
                "quantity": quantity,
                "unit": unit,
            }
        ]
    )


def test_a_stored_report_that_no_longer_accounts_is_not_accepted(store: Engine) -> None:
    """A report stored before these checks (simulated by editing its stored rows) cannot be
    accepted: review accounts it first, so the accepted set always accounts."""
    created = ingest(store, _frame(), "sep.csv", "E1 clerk", today=TODAY)
    assert created.created == [("E1", "2026-09", 1)]
    with Session(store) as session, session.begin():
        submission_id = session.scalars(select(SubmissionRow.id)).one()
        session.execute(
            update(ActivityRecordRow)
            .where(ActivityRecordRow.submission_id == submission_id)
            .values(
                cells={
                    "enterprise": "E1",
                    "period": "2026-09",
                    "item": "coke_oven_gas",
                    "role": "energy_input",
                    "quantity": "100",
                    "unit": "万Nm3",
                }
            )
        )
    with pytest.raises(DataFileError, match="no standard-coal coefficient"):
        review(store, submission_id, True, "office")
    assert accepted_activity(store).empty
    returned = review(store, submission_id, False, "office", "NCV missing")
    assert returned.state == "returned"


def test_accepted_reports_always_account(store: Engine) -> None:
    ingest(store, _frame(), "sep.csv", "E1 clerk", today=TODAY)
    with Session(store) as session:
        submission_id = session.scalars(select(SubmissionRow.id)).one()
    review(store, submission_id, True, "office")
    accounts = account(parse_activity(accepted_activity(store)))
    assert accounts.totals("base")["co2_total_t"].iloc[0] > 0


def test_a_write_that_cannot_get_the_store_in_time_conflicts_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """Appends are serialised (the audit log's lock, BEGIN IMMEDIATE on SQLite), so two
    amendments at once become versions in turn (tests/services/test_audit_concurrency.py). A
    writer that cannot get the store within the busy timeout gets a conflict (409 in the API),
    not a bare 500, and nothing of its file is written."""
    path = tmp_path / "race.sqlite3"
    store = make_engine(f"sqlite:///{path}")
    upgrade(store)
    add_enterprise(store)
    ingest(store, _frame(), "sep.csv", "E1 clerk", today=TODAY)

    @event.listens_for(store, "connect")
    def _short_wait(dbapi_connection: Any, _record: Any) -> None:  # after make_engine's 30 s
        dbapi_connection.execute("PRAGMA busy_timeout = 200")

    store.dispose()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the store
    try:
        with pytest.raises(SubmissionConflict, match="same enterprise and month"):
            ingest(store, _frame(quantity="1300"), "a.csv", "clerk a", "fix", today=TODAY)
    finally:
        holder.rollback()
        holder.close()
    with Session(store) as session:
        versions = session.execute(
            select(SubmissionRow.version, SubmissionRow.source).order_by(SubmissionRow.version)
        ).all()
    assert [tuple(v) for v in versions] == [(1, "sep.csv")]


def test_settings_are_read_from_the_environment_and_checked() -> None:
    made = Settings.from_env(
        {"CARBONPEAK_MAX_ROWS": "7", "CARBONPEAK_TRUSTED_PROXIES": "10.0.0.0/8"}
    )
    assert made.max_rows == 7
    assert [str(n) for n in made.proxy_networks()] == ["10.0.0.0/8"]
    with pytest.raises(ValueError, match="CARBONPEAK_MAX_ROWS"):
        Settings.from_env({"CARBONPEAK_MAX_ROWS": "many"})
    with pytest.raises(ValueError, match="CARBONPEAK_TRUSTED_PROXIES"):
        Settings.from_env({"CARBONPEAK_TRUSTED_PROXIES": "localhost"})


@pytest.mark.parametrize("unit", ["MWh-", "/", "GJ/", "1/0", "("])
def test_malformed_units_on_the_command_line_are_errors_not_tracebacks(
    store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    from typer.testing import CliRunner

    from carbonpeak.cli import app

    monkeypatch.setenv(
        "CARBONPEAK_DATABASE_URL", str(store.url.render_as_string(hide_password=False))
    )
    path = _write(
        tmp_path,
        "units.csv",
        f"enterprise,period,item,role,quantity,unit\nE1,2026-09,electricity,energy_input,5,{unit}\n".encode(),
    )
    for command in (["ingest", str(path)], ["account", str(path)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1, (command, result.output)
        assert "row 2, column unit: unit does not fit" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_setting_is_documented() -> None:
    from carbonpeak.settings import SETTINGS

    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    web = (root / "docs" / "web.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"| `{setting.variable}` |" in readme, setting.variable
    for variable in ("CARBONPEAK_MAX_BODY_BYTES", "CARBONPEAK_TRUSTED_PROXIES"):
        assert variable in web
