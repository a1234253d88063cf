"""The budget pool (用能预算 统一管理, 三(二)1): the base's energy and carbon budgets per year, the
load already on them, the draws of approved projects and the space freed by closures and
retrofits (腾出的用能空间), with a ledger entry and its document for every movement.

headroom = budget − existing load − draws + releases

The existing load is the base's accounted use in the latest full year (the regional total, as
the budget counts it); enterprise allocations are part of that load, not a second draw on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from carbonpeak.messages import message

__all__ = [
    "KINDS",
    "LedgerEntry",
    "PoolYear",
    "pool_year",
]

Kind = Literal["energy", "carbon"]
KINDS: dict[str, tuple[str, str]] = {  # kind -> (metric of the accounts, unit)
    "energy": ("energy_consumption_tce", "tce"),
    "carbon": ("co2_net_t", "tCO2"),
}
DRAW = "draw"
RELEASES = ("release", "closure", "retrofit")


@dataclass(frozen=True)
class LedgerEntry:
    """One movement of the pool: a draw (an approved project) or a release (a closure, a
    retrofit done, a project withdrawn), always with the document that decided it."""

    year: int
    kind: str
    entry: str  # draw, release, closure, retrofit
    amount: float  # positive; the entry says which way
    unit: str
    document: str
    project: str | None = None
    enterprise: str | None = None
    facility: str | None = None
    note: str = ""
    actor: str = ""
    recorded_at: datetime | None = None

    @property
    def signed(self) -> float:
        return -self.amount if self.entry == DRAW else self.amount

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PoolYear:
    year: int
    kind: str
    unit: str
    budget: float | None  # None: no base budget set for the year
    existing_load: float
    load_year: int
    drawn: float
    released: float

    @property
    def headroom(self) -> float | None:
        if self.budget is None:
            return None
        return self.budget - self.existing_load - self.drawn + self.released

    def allows(self, amount: float) -> bool:
        """Whether a draw of ``amount`` fits (a pool without a budget allows nothing)."""
        room = self.headroom
        return room is not None and amount <= room

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "headroom": self.headroom}


def pool_year(
    year: int,
    kind: str,
    budget: float | None,
    existing_load: float,
    load_year: int,
    entries: Iterable[LedgerEntry],
    excluding_project: str | None = None,
) -> PoolYear:
    """The pool of ``kind`` in ``year``; ``excluding_project``: leave that project's own draws
    out (a project reviewed again is judged without its earlier draw)."""
    if kind not in KINDS:
        raise ValueError(message("error.pool.kind", kinds=", ".join(KINDS), found=repr(kind)))
    chosen = [
        e
        for e in entries
        if e.year == year
        and e.kind == kind
        and not (excluding_project and e.project == excluding_project and e.entry == DRAW)
    ]
    return PoolYear(
        year=year,
        kind=kind,
        unit=KINDS[kind][1],
        budget=budget,
        existing_load=existing_load,
        load_year=load_year,
        drawn=sum((e.amount for e in chosen if e.entry == DRAW), 0.0),
        released=sum((e.amount for e in chosen if e.entry in RELEASES), 0.0),
    )
