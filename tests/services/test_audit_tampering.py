"""`audit verify` finds what the chain alone cannot: a deleted tail, a wiped log, a consistent
rewrite, and stored reports edited behind the log's back (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from carbonpeak.cli import app
from carbonpeak.services import audit
from carbonpeak.services.audit_anchor import anchor_path
from carbonpeak.services.registry import register_enterprises
from carbonpeak.services.submissions import ingest, review
from carbonpeak.storage import upgrade
from tests.conftest import add_enterprise

TODAY = date(2026, 11, 23)


def report(enterprise: str = "E1", quantity: str = "1200") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "enterprise": [enterprise, enterprise],
            "facility": ["boiler", "boiler"],
            "sector": ["2614", "2614"],
            "period": ["2026-09", "2026-09"],
            "item": ["bituminous_coal", "electricity"],
            "role": ["energy_input", "energy_input"],
            "quantity": [quantity, "350"],
            "unit": ["t", "MWh"],
        }
    )


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    add_enterprise(engine)
    ingest(engine, report(), "a.csv", "E1 clerk", today=TODAY)
    ingest(engine, report(quantity="1300"), "b.csv", "E1 clerk", reason="meter", today=TODAY)
    review(engine, 2, accept=True, actor="office")
    assert audit.verify(engine)[1] == []
    return engine


def execute(engine: Engine, statement: str, **parameters: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), parameters)


def problems_text(engine: Engine) -> str:
    return "\n".join(str(p) for p in audit.verify(engine)[1])


def test_deleting_the_last_entry_is_detected(store: Engine) -> None:
    execute(store, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    found = problems_text(store)
    assert "anchored" in found and "missing from the log" in found


def test_deleting_the_last_500_entries_is_detected(store: Engine) -> None:
    codes = [f"T{n:03d}" for n in range(520)]
    register_enterprises(
        store,
        pd.DataFrame(
            {
                "id": codes,
                "credit_code": [f"91640000TST{c:0>6}X"[:18] for c in codes],
                "name_zh": "测试企业",
                "name_en": "Test",
                "sector": "2614",
                "key_energy_unit": True,
                "synthetic": True,
            }
        ),
        pd.DataFrame(
            columns=[
                "enterprise",
                "facility",
                "product",
                "capacity",
                "capacity_unit",
                "commissioned",
            ]
        ),
        "test",
    )
    assert audit.verify(store)[1] == []
    execute(
        store,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 500 FROM audit_log)",
    )
    problems = audit.verify(store)[1]
    assert any("missing from the log" in p.problem for p in problems)


def test_wiping_the_log_is_detected(store: Engine) -> None:
    execute(store, "DELETE FROM audit_log")
    count, problems = audit.verify(store)
    assert count == 0
    text_ = "\n".join(map(str, problems))
    assert "missing from the log" in text_
    assert "stored without an audit entry" in text_  # the reports are still there


def test_a_consistent_rewrite_is_detected(store: Engine) -> None:
    """Rewrite every entry from the second on with fresh hashes: the chain checks, the anchor
    does not."""
    with store.begin() as connection:
        rows = connection.execute(
            text(
                "SELECT seq, at, actor, action, entity, entity_id, payload FROM audit_log "
                "ORDER BY seq"
            )
        ).all()
        previous = connection.execute(
            text("SELECT hash FROM audit_log WHERE seq = :seq"), {"seq": rows[0].seq}
        ).scalar_one()
        for row in rows[1:]:
            actor = "someone else"
            digest = audit.entry_hash(
                previous, row.at, actor, row.action, row.entity, row.entity_id, row.payload
            )
            connection.execute(
                text(
                    "UPDATE audit_log SET actor = :actor, prev_hash = :prev, hash = :hash "
                    "WHERE seq = :seq"
                ),
                {"actor": actor, "prev": previous, "hash": digest, "seq": row.seq},
            )
            previous = digest
    problems = audit.verify(store)[1]
    assert not any("chain broken" in p.problem or "altered" in p.problem for p in problems)
    assert any("rewritten" in p.problem for p in problems)


def test_an_edited_report_row_is_detected(store: Engine) -> None:
    with store.begin() as connection:
        record_id, cells = connection.execute(
            text("SELECT id, cells FROM activity_records ORDER BY id LIMIT 1")
        ).one()
        cells = json.loads(cells) if isinstance(cells, str) else cells
        cells["quantity"] = "12"
        connection.execute(
            text("UPDATE activity_records SET cells = :cells WHERE id = :id"),
            {"cells": json.dumps(cells, ensure_ascii=False), "id": record_id},
        )
    problems = audit.verify(store)[1]
    assert [p.location for p in problems] == ["submission 1 (E1, 2026-09, version 1)"]
    assert "rows edited" in problems[0].problem


def test_an_edited_content_hash_is_detected(store: Engine) -> None:
    """Rows and their hash edited together still differ from the hash in the log."""
    execute(store, "UPDATE submissions SET content_sha256 = :h WHERE id = 2", h="f" * 64)
    found = problems_text(store)
    assert "submission 2 (E1, 2026-09, version 2)" in found
    assert "differs from the one in audit entry" in found


def test_a_state_changed_behind_the_log_is_detected(store: Engine) -> None:
    execute(store, "UPDATE submissions SET state = 'accepted' WHERE id = 1")
    assert "state differs from the last state the audit log recorded" in problems_text(store)


def test_a_deleted_report_is_detected(store: Engine) -> None:
    execute(store, "DELETE FROM activity_records WHERE submission_id = 2")
    execute(store, "DELETE FROM submissions WHERE id = 2")
    assert "missing from the store (deleted)" in problems_text(store)


def test_a_forged_anchor_line_is_detected(store: Engine) -> None:
    path = anchor_path(store)
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    line["seq"] -= 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
    assert "signature does not match" in problems_text(store)


def test_a_deleted_anchor_is_detected_and_a_checkpoint_restarts_it(store: Engine) -> None:
    anchor_path(store).unlink()
    assert "missing or empty while the log has entries" in problems_text(store)
    head = audit.checkpoint(store)
    assert head is not None
    assert audit.verify(store)[1] == []


def test_the_command_fails_naming_the_break(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", store.url.render_as_string(hide_password=False))
    intact = CliRunner().invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0, intact.stderr
    execute(store, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    broken = CliRunner().invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "missing from the log" in broken.stderr
    assert "audit log BROKEN" in broken.stderr
    assert "docs/audit.md" in broken.stderr


def test_an_exported_head_catches_a_rewrite_of_log_and_anchor(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who rewrites the log and also deletes the anchor file and restarts it with a
    checkpoint is still caught by a head the office recorded elsewhere."""
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", store.url.render_as_string(hide_password=False))
    recorded = CliRunner().invoke(app, ["audit", "checkpoint"]).stdout.split()[-1]
    assert CliRunner().invoke(app, ["audit", "verify", "--head", recorded]).exit_code == 0
    execute(store, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    anchor_path(store).unlink()
    audit.checkpoint(store)
    problems = audit.verify(store, (int(recorded.split(":")[0]), recorded.split(":")[1]))[1]
    assert [p.problem for p in problems if "exported head" in p.problem]
    result = CliRunner().invoke(app, ["audit", "verify", "--head", recorded])
    assert result.exit_code == 1
    assert "exported head given is not in the log" in result.stderr
