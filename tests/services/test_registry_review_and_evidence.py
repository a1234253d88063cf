"""The review workflow's additions: a return stores its notice with the note, an amendment
needs a reason, bulk acceptance is all or none, late reporters are found and reminded; evidence
is checked by type, size and content, stored by hash outside the rows, and read back only by
the office and its owner."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from carbonpeak.datafile import DataFileError
from carbonpeak.errors import Forbidden
from carbonpeak.services.accounts import Principal, Role
from carbonpeak.services.evidence import EvidenceError, attach_evidence, read_evidence
from carbonpeak.services.registry_events import delivered, events, pending
from carbonpeak.services.review_queue import (
    accept_selected,
    deadline,
    late_reporters,
    queue,
    remind_late,
    reporting_month,
    return_report,
)
from carbonpeak.services.submissions import SubmissionError, ingest, submit_draft
from carbonpeak.storage import data_directory, upgrade
from tests.services.registry_helpers import register_power_plant, report

OFFICE = Principal("office", "office", Role.admin)
OWNER = Principal("plant", "plant", Role.enterprise, enterprise="nd_power")
OTHER = Principal("other", "other", Role.enterprise, enterprise="someone_else")
UNIT = Principal("econ", "econ", Role.unit, organisation="economic_development_bureau")


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    register_power_plant(engine)
    return engine


def test_deadline_is_the_reference_day_of_the_next_month() -> None:
    assert deadline("2024-06") == date(2024, 7, 10)
    assert deadline("2024-12") == date(2025, 1, 10)
    assert reporting_month(date(2025, 1, 3)) == "2024-12"


def test_return_stores_a_notice_and_the_amendment_needs_a_reason(store: Engine) -> None:
    ingest(store, report(), "june.csv", "plant", state="draft")
    (first,) = queue(store)
    assert first["state"] == "draft"
    submit_draft(store, first["id"], "plant")
    returned = return_report(store, first["id"], "供电量与煤耗不符", "office")
    assert returned == {
        "id": first["id"],
        "state": "returned",
        "period": "2024-06",
        "enterprise": "nd_power",
    }
    (notice,) = events(store, "enterprise", "nd_power")
    assert notice["kind"] == "report_returned"
    assert notice["detail"]["note"] == "供电量与煤耗不符"
    assert "供电量与煤耗不符" in notice["subject_zh"]
    assert [e["id"] for e in pending(store)] == [notice["id"]]
    delivered(store, notice["id"])
    assert pending(store) == []
    with pytest.raises(DataFileError, match="reason"):
        ingest(store, report(coal="90000"), "june-v2.csv", "plant")
    ingest(store, report(coal="90000"), "june-v2.csv", "plant", reason="煤耗更正")
    (latest,) = queue(store)
    assert (latest["version"], latest["state"], latest["reason"]) == (2, "submitted", "煤耗更正")
    assert accept_selected(store, [latest["id"]], "office") == 1
    assert queue(store, state="accepted")[0]["id"] == latest["id"]


def test_bulk_accept_takes_only_submitted_reports(store: Engine) -> None:
    ingest(store, report(period="2024-06"), "june.csv", "plant")
    ingest(store, report(period="2024-07"), "july.csv", "plant", state="draft")
    ids = [r["id"] for r in queue(store)]
    with pytest.raises(SubmissionError):
        accept_selected(store, ids, "office")
    assert {r["state"] for r in queue(store)} == {"submitted", "draft"}  # none accepted


def test_late_reporters_and_reminders(store: Engine) -> None:
    register_power_plant(store, "nd_late", opened="2020-01-01")
    register_power_plant(store, "nd_new", opened="2024-08-01")  # opened after the month
    ingest(store, report(period="2024-07"), "july.csv", "plant")
    before = late_reporters(store, "2024-07", date(2024, 8, 5))
    assert [(r["enterprise"], r["overdue"]) for r in before] == [("nd_late", False)]
    assert remind_late(store, "2024-07", date(2024, 8, 5), "office") == []
    assert remind_late(store, "2024-07", date(2024, 8, 11), "office") == ["nd_late"]
    (reminder,) = events(store, "enterprise", "nd_late")
    assert reminder["kind"] == "report_reminder"
    assert reminder["detail"] == {"period": "2024-07", "due": "2024-08-10"}


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_evidence_is_stored_by_hash_and_read_by_the_office_and_owner(store: Engine) -> None:
    stored = attach_evidence(
        store, PDF, "发票.pdf", "submission", 1, "plant", enterprise="nd_power"
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert (stored["sha256"], stored["size"], stored["media_type"]) == (
        digest,
        len(PDF),
        "application/pdf",
    )
    assert (data_directory() / "evidence" / digest).read_bytes() == PDF
    for reader in (OFFICE, OWNER):
        assert read_evidence(store, reader, stored["id"])[1] == PDF
    for outsider in (OTHER, UNIT):
        with pytest.raises(Forbidden):
            read_evidence(store, outsider, stored["id"])


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("report.exe", b"MZ\x90\x00", "not accepted"),
        ("scan.pdf", b"PK\x03\x04 a zip", "not a .pdf"),
        ("notes.txt", b"\xff\xfe\x00bad", "not UTF-8"),
        ("empty.png", b"", "empty"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(
    store: Engine, name: str, content: bytes, why: str
) -> None:
    with pytest.raises(EvidenceError, match=why):
        attach_evidence(store, content, name, "submission", 1, "plant", enterprise="nd_power")


def test_altered_evidence_is_not_served(store: Engine, tmp_path: Path) -> None:
    text = "甲醇产量台账\n".encode()
    stored = attach_evidence(store, text, "ledger.txt", "submission", 1, "p", enterprise="nd_power")
    path = data_directory() / "evidence" / stored["sha256"]
    path.write_bytes(b"altered")
    try:
        with pytest.raises(EvidenceError, match="altered"):
            read_evidence(store, OFFICE, stored["id"])
    finally:
        path.write_bytes(text)
