"""The hash-chained audit log: append within the caller's transaction; verify the whole chain,
the stored data against it, and its head against the anchor outside the database.

Appends are serialised: on SQLite the transaction takes the write lock (BEGIN IMMEDIATE) before
it reads the head, on PostgreSQL it takes a transaction-scoped advisory lock. Without that, two
writers read the same head and the chain forks.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from carbonpeak.datafile import Problem
from carbonpeak.services.audit_anchor import append_anchor, check_anchors
from carbonpeak.storage import AuditEntryRow

__all__ = ["GENESIS", "AuditWriter", "checkpoint", "entry_hash", "verify"]

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the audit log's head (any constant; "carbonpk" in ASCII).
POSTGRES_LOCK = 0x636172626F6E706B
_ANCHOR_KEY = "carbonpeak.audit.anchor"


def entry_hash(
    prev_hash: str, at: str, actor: str, action: str, entity: str, entity_id: str, payload: str
) -> str:
    """SHA-256 over the previous hash and the entry's fields in canonical JSON."""
    body = json.dumps(
        [at, actor, action, entity, entity_id, payload], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _serialise(session: Session) -> None:
    """Hold the log's head until this transaction ends, so that no other writer appends to it
    in between (the lock is released by the commit or rollback)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        # pysqlite begins a transaction only before the first write; a transaction that has
        # written already holds the write lock. Otherwise take it now, before reading the head.
        if raw is not None and not raw.in_transaction:
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:  # busy past the timeout: as SQLAlchemy says it
                raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
    elif connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK})


def _anchor_after_commit(session: Session) -> None:
    head = session.info.pop(_ANCHOR_KEY, None)
    if head is not None:
        append_anchor(session.get_bind(), *head)  # type: ignore[arg-type]


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_ANCHOR_KEY, None)


class AuditWriter:
    """Appends entries in one session, serialised against every other writer; the head it
    leaves is anchored outside the database once the session commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
        _serialise(session)
        head = session.scalars(
            select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)
        ).one_or_none()
        self.head = head.hash if head is not None else GENESIS
        if not event.contains(session, "after_commit", _anchor_after_commit):
            event.listen(session, "after_commit", _anchor_after_commit)
            event.listen(session, "after_rollback", _forget_after_rollback)

    def append(
        self, actor: str, action: str, entity: str, entity_id: str, payload: dict[str, Any]
    ) -> AuditEntryRow:
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        text = json.dumps(
            payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
        )
        digest = entry_hash(self.head, at, actor, action, entity, entity_id, text)
        row = AuditEntryRow(
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            payload=text,
            prev_hash=self.head,
            hash=digest,
        )
        self.session.add(row)
        self.session.flush()  # its sequence number, for the anchor
        self.session.info[_ANCHOR_KEY] = (row.seq, digest)
        self.head = digest
        return row


def verify(engine: Engine, exported: tuple[int, str] | None = None) -> tuple[int, list[Problem]]:
    """Check the log: (entries checked, problems).

    - the chain: an altered entry fails its own hash; a removed or reordered one breaks the
      link to the next;
    - the anchor: every head anchored outside the database is still there with its hash, so a
      deleted tail, a wiped log or a consistent rewrite is found;
    - the data: every stored report matches the hashes and states the log recorded for it;
    - ``exported``: a head (sequence number, hash, or its first 16 digits) that the office
      recorded elsewhere, from `carbonpeak audit checkpoint`, must still be in the log.
    """
    # Imported here: the data checks read the reports, whose module writes through this one.
    from carbonpeak.services.audit_data import check_submissions

    problems: list[Problem] = []
    previous = GENESIS
    count = 0
    hashes: dict[int, str] = {}
    with Session(engine) as session:
        for row in session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)):
            count += 1
            hashes[row.seq] = row.hash
            if row.prev_hash != previous:
                problems.append(
                    Problem(
                        f"audit entry {row.seq}",
                        "chain broken before this entry",
                        expected=previous[:16],
                        found=row.prev_hash[:16],
                    )
                )
            recomputed = entry_hash(
                row.prev_hash, row.at, row.actor, row.action, row.entity, row.entity_id, row.payload
            )
            if recomputed != row.hash:
                problems.append(
                    Problem(
                        f"audit entry {row.seq}",
                        "content does not match its hash (altered)",
                        expected=row.hash[:16],
                        found=recomputed[:16],
                    )
                )
            previous = row.hash
        problems += check_anchors(engine, hashes)
        problems += check_submissions(session)
    if exported is not None:
        seq, digest = exported
        stored = hashes.get(seq)
        if stored is None or not stored.startswith(digest.lower()) or len(digest) < 16:
            problems.append(
                Problem(
                    f"audit entry {seq}",
                    "the exported head given is not in the log (deleted or rewritten)",
                    expected=digest[:16],
                    found=stored[:16] if stored else "no such entry",
                )
            )
    return count, problems


def checkpoint(engine: Engine) -> tuple[int, str] | None:
    """Anchor the current head (to start anchoring a log kept before anchors existed, or after
    the office has dealt with a break); returns it, or None for an empty log."""
    with Session(engine) as session:
        head = session.scalars(
            select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)
        ).one_or_none()
        if head is None:
            return None
        append_anchor(engine, head.seq, head.hash)
        return head.seq, head.hash
