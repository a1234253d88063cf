"""The hash-chained audit log: append within the caller's transaction; verify the whole chain."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.datafile import Problem
from carbonpeak.storage import AuditEntryRow

__all__ = ["GENESIS", "AuditWriter", "entry_hash", "verify"]

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str, at: str, actor: str, action: str, entity: str, entity_id: str, payload: str
) -> str:
    """SHA-256 over the previous hash and the entry's fields in canonical JSON."""
    body = json.dumps(
        [at, actor, action, entity, entity_id, payload], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


class AuditWriter:
    """Appends entries in one session; reads the chain's head once and locks it where it can."""

    def __init__(self, session: Session) -> None:
        self.session = session
        head = session.scalars(
            select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1).with_for_update()
        ).one_or_none()
        self.head = head.hash if head is not None else GENESIS

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
        self.head = digest
        return row


def verify(engine: Engine) -> tuple[int, list[Problem]]:
    """Recompute the chain: (entries checked, problems). An altered entry fails its own hash; a
    removed or reordered one breaks the link to the next."""
    problems: list[Problem] = []
    previous = GENESIS
    count = 0
    with Session(engine) as session:
        for row in session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)):
            count += 1
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
    return count, problems
