"""Concurrent writers keep one audit chain: parallel ingests and reviews (threads, and separate
`carbonpeak ingest` processes) on SQLite and PostgreSQL, then `audit verify` intact, every report
stored once, every change logged once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carbonpeak.services import audit
from carbonpeak.services.submissions import ingest, review
from carbonpeak.storage import AuditEntryRow, SubmissionRow, upgrade
from tests.conftest import add_enterprise

TODAY = date(2026, 11, 23)
WRITERS = 10
ROUNDS = 3  # months per writer
PROCESSES = 6


def report(enterprise: str, period: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "enterprise": [enterprise],
            "facility": ["boiler"],
            "sector": ["2614"],
            "period": [period],
            "item": ["bituminous_coal"],
            "role": ["energy_input"],
            "quantity": ["1200"],
            "unit": ["t"],
        }
    )


def entries(engine: Engine, action: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEntryRow)
    if action:
        query = query.where(AuditEntryRow.action == action)
    with Session(engine) as session:
        return int(session.scalar(query) or 0)


@pytest.fixture
def enterprises(engine: Engine) -> list[str]:
    upgrade(engine)
    codes = [f"E{n:02d}" for n in range(WRITERS)]
    for code in codes:
        add_enterprise(engine, code)
    return codes


def test_parallel_ingests_and_reviews_keep_one_chain(
    engine: Engine, enterprises: list[str]
) -> None:
    before = entries(engine)
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(code: str) -> None:
        try:
            start.wait()
            for month in range(1, ROUNDS + 1):
                result = ingest(
                    engine, report(code, f"2026-0{month}"), f"{code}.csv", code, today=TODAY
                )
                with Session(engine) as session:
                    latest = session.scalars(
                        select(SubmissionRow.id)
                        .where(SubmissionRow.source == f"{code}.csv")
                        .order_by(SubmissionRow.id.desc())
                        .limit(1)
                    ).one()
                assert result.created == [(code, f"2026-0{month}", 1)]
                review(engine, latest, accept=True, actor="office")
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(code,)) for code in enterprises]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    count, problems = audit.verify(engine)
    assert problems == []
    assert count == before + 2 * WRITERS * ROUNDS
    assert entries(engine, "submitted") == WRITERS * ROUNDS
    assert entries(engine, "accepted") == WRITERS * ROUNDS
    with Session(engine) as session:
        states = session.scalars(select(SubmissionRow.state)).all()
    assert len(states) == WRITERS * ROUNDS and set(states) == {"accepted"}


def test_parallel_ingest_commands_keep_one_chain(
    engine: Engine, enterprises: list[str], tmp_path: Path
) -> None:
    """`carbonpeak ingest` processes at once, as in the issue (16–37 breaks with ten before);
    six keep the test short on a small machine, and forked the chain before the fix too."""
    before = entries(engine)
    environment = {
        **os.environ,
        "CARBONPEAK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    files = []
    for code in enterprises[:PROCESSES]:
        path = tmp_path / f"{code}.csv"
        # The previous month: the command checks it has ended against today's date.
        period = (pd.Timestamp.today().to_period("M") - 1).strftime("%Y-%m")
        report(code, period).to_csv(path, index=False)
        files.append(path)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "carbonpeak.cli", "ingest", str(path)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for path in files
    ]
    outcomes = [process.communicate(timeout=300) for process in processes]
    assert [p.returncode for p in processes] == [0] * PROCESSES, outcomes
    count, problems = audit.verify(engine)
    assert problems == []
    assert count == before + PROCESSES
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(SubmissionRow)) == PROCESSES


def test_parallel_amendments_of_one_report_each_get_a_version(
    engine: Engine, enterprises: list[str]
) -> None:
    """Concurrent amendments of the same enterprise-month read the latest version under the
    log's lock: versions 1 … N+1, none refused with a duplicate key (HTTP 500s before)."""
    ingest(engine, report("E00", "2026-05"), "first.csv", "E00", today=TODAY)
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def amend(number: int) -> None:
        try:
            start.wait()
            changed = report("E00", "2026-05").assign(quantity=str(2000 + number))
            ingest(engine, changed, f"amend-{number}.csv", "E00", reason="meter", today=TODAY)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=amend, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with Session(engine) as session:
        versions = session.scalars(select(SubmissionRow.version).order_by(SubmissionRow.version))
        assert list(versions) == list(range(1, WRITERS + 2))
    assert audit.verify(engine)[1] == []
