"""The two-high list in use (清单管理、分类处置、动态监管, 三(三)5): each facility of a two-high
sector classified, with its disposal class from its position against the efficiency levels in
the accounts (dynamic: it follows the latest accounted year) and a rectification deadline.

keep: at the benchmark level; retrofit: below it, until its deadline; close: a closure recorded,
or a retrofit plan overdue past the deadline (三(二)2: 对不能按期改造完毕的项目依法依规淘汰).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from carbonpeak.projects.reference import TwoHighList

__all__ = ["Disposal", "dispose"]


@dataclass(frozen=True)
class Disposal:
    enterprise: str
    facility: str
    sector_group: str
    product: str | None
    position: str | None
    disposal: str  # keep, retrofit, close
    deadline: date | None
    clause: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def dispose(
    lists: TwoHighList,
    enterprise: str,
    facility: str,
    sector: str,
    product: str | None,
    position: str | None,
    closed: bool,
    retrofit_overdue: bool,
    today: date,
) -> Disposal | None:
    """The facility's place on the list (None: not a two-high sector)."""
    group = lists.sector_of(sector)
    if group is None:
        return None
    rule = lists.rectification.get(position or "")
    deadline = None if rule is None else rule.deadline
    if closed:
        disposal = "close"
    elif position in (None, "at_benchmark"):
        disposal = "keep"
    elif retrofit_overdue and deadline is not None and deadline < today:
        disposal = "close"
    else:
        disposal = "retrofit"
    return Disposal(
        enterprise,
        facility,
        group.key,
        product,
        position,
        disposal,
        deadline if disposal == "retrofit" else None,
        "三(三)5" if rule is None else rule.clause,
    )
