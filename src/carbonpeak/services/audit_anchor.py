"""The audit log's anchor: a signed record of its head, kept outside the database.

The hash chain proves that entries were not altered in place, but whoever can write the table
can delete its tail, or rewrite every entry from one on with fresh hashes, and leave a chain
that checks. So after every commit that appends to the log, the new head (sequence number and
hash) is appended to a file outside the database, as a line signed with HMAC-SHA256 under a key
that is not in the database either. ``verify`` then requires every anchored entry to be in the
table with the anchored hash: a truncation, a wipe or a consistent rewrite cannot match it, and
a forged anchor line fails its signature.

Settings: ``CARBONPEAK_AUDIT_ANCHOR`` (the anchor file; default next to a SQLite database file,
else in the data directory) and ``CARBONPEAK_AUDIT_KEY`` (the key file; default beside the
anchor file, made on first use, readable by its owner only). Beside each other they guard against
mistakes and a careless operator; against someone who can write the database's folder, put them
where that person cannot write (docs/audit.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from carbonpeak.datafile import Problem
from carbonpeak.settings import Settings
from carbonpeak.storage import data_directory

__all__ = [
    "ANCHOR_VARIABLE",
    "KEY_VARIABLE",
    "Anchor",
    "anchor_path",
    "append_anchor",
    "check_anchors",
    "key_path",
    "read_anchors",
]

ANCHOR_VARIABLE = "CARBONPEAK_AUDIT_ANCHOR"
KEY_VARIABLE = "CARBONPEAK_AUDIT_KEY"


@dataclass(frozen=True)
class Anchor:
    """One signed head: the log had entry ``seq`` with ``hash`` at ``at``."""

    seq: int
    hash: str
    at: str
    line: int


def anchor_path(engine: Engine) -> Path:
    """The anchor file of this database: the setting, else beside a SQLite file, else in the
    data directory under a name derived from the database URL (one file per database)."""
    configured = Settings.from_env().audit_anchor
    if configured:
        return configured
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".audit-anchor")
    name = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return data_directory() / f"audit-anchor-{name}.jsonl"


def _in_memory(engine: Engine) -> bool:
    """An in-memory SQLite database ends with its process: nothing outside it to anchor to."""
    url = engine.url
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def key_path(engine: Engine) -> Path:
    """The signing key: the setting, else a file beside the anchor file."""
    configured = Settings.from_env().audit_key
    if configured:
        return configured
    anchor = anchor_path(engine)
    return anchor.with_name(anchor.name + ".key")


def _key(engine: Engine, create: bool) -> bytes | None:
    path = key_path(engine)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two processes making the key at once keep the first one
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _signature(key: bytes, seq: int, digest: str, at: str) -> str:
    return hmac.new(key, f"{seq}|{digest}|{at}".encode(), hashlib.sha256).hexdigest()


def append_anchor(engine: Engine, seq: int, digest: str) -> None:
    """Record a committed head. One short line written with O_APPEND: lines from concurrent
    processes never interleave (their order does not matter)."""
    if _in_memory(engine):
        return
    key = _key(engine, create=True)
    assert key is not None
    at = datetime.now(UTC).isoformat(timespec="seconds")
    line = json.dumps(
        {"seq": seq, "hash": digest, "at": at, "mac": _signature(key, seq, digest, at)},
        separators=(",", ":"),
    )
    path = anchor_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(descriptor, (line + "\n").encode("ascii"))
    finally:
        os.close(descriptor)


def read_anchors(engine: Engine) -> tuple[list[Anchor], list[Problem]]:
    """The anchor file's lines whose signature checks, and a problem for each that does not."""
    path = anchor_path(engine)
    if not path.exists():
        return [], []
    key = _key(engine, create=False)
    anchors: list[Anchor] = []
    problems: list[Problem] = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        where = f"anchor file {path}, line {number}"
        try:
            record = json.loads(text)
            seq, digest, at, mac = (
                int(record["seq"]),
                str(record["hash"]),
                str(record["at"]),
                str(record["mac"]),
            )
        except (ValueError, KeyError, TypeError):
            problems.append(Problem(where, "not an anchor line", found=text[:80]))
            continue
        if key is None:
            problems.append(
                Problem(
                    where,
                    "cannot check the signature: the anchor key is missing",
                    expected=str(key_path(engine)),
                    found=None,
                )
            )
            continue
        if not hmac.compare_digest(mac, _signature(key, seq, digest, at)):
            problems.append(
                Problem(where, "signature does not match (anchor line forged or edited)")
            )
            continue
        anchors.append(Anchor(seq, digest, at, number))
    return anchors, problems


def check_anchors(engine: Engine, hashes: dict[int, str]) -> list[Problem]:
    """Every anchored head must still be in the log with its anchored hash; a log with entries
    must have an anchor at all."""
    if _in_memory(engine):
        return []
    anchors, problems = read_anchors(engine)
    if not anchors and not problems and hashes:
        problems.append(
            Problem(
                f"anchor file {anchor_path(engine)}",
                "missing or empty while the log has entries (anchor deleted, or never made: "
                "see `carbonpeak audit checkpoint`)",
            )
        )
    missing = [a for a in anchors if a.seq not in hashes]
    if missing:
        first, last = min(missing, key=lambda a: a.seq), max(missing, key=lambda a: a.seq)
        present = max(hashes, default=0)
        problems.append(
            Problem(
                f"audit entries {first.seq}–{last.seq}"
                if first is not last
                else f"audit entry {first.seq}",
                f"anchored ({last.at}) but missing from the log: deleted "
                f"(the log ends at entry {present})",
                expected=f"entry {last.seq} with hash {last.hash[:16]}",
                found="no such entry",
            )
        )
    differing = sorted(
        (a for a in anchors if a.seq in hashes and hashes[a.seq] != a.hash), key=lambda a: a.seq
    )
    if differing:
        first = differing[0]
        more = f"; {len(differing) - 1} later anchored entries differ too" if differing[1:] else ""
        problems.append(
            Problem(
                f"audit entry {first.seq}",
                f"hash differs from the one anchored at {first.at}: the log was rewritten up to "
                f"here{more}",
                expected=first.hash[:16],
                found=hashes[first.seq][:16],
            )
        )
    return problems
