"""One enterprise, one plan (一企一策, 三(二)2): a retrofit plan tied to the facility's benchmark
gap, with milestones and a deadline; overdue plans are flagged, and a plan done releases its
saving into the budget pool.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

__all__ = ["Milestone", "RetrofitPlan", "retrofit_status"]


@dataclass(frozen=True)
class Milestone:
    name: str
    due: date
    done_on: date | None = None


@dataclass(frozen=True)
class RetrofitPlan:
    id: int | None
    enterprise: str
    facility: str
    product: str
    unit_value_before: float  # kgce/t, from the accounts (energy levels only, not kWh/t)
    unit_value_target: float  # kgce/t, at most the benchmark level
    annual_output_t: float
    deadline: date
    milestones: tuple[Milestone, ...] = ()
    done_on: date | None = None
    document: str = ""

    @property
    def saving_tce(self) -> float:
        """Energy saved per year once done: the gap closed times the output (kgce → tce)."""
        return (
            max(self.unit_value_before - self.unit_value_target, 0.0) * self.annual_output_t / 1000
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "saving_tce": self.saving_tce}


def retrofit_status(plan: RetrofitPlan, today: date) -> tuple[str, tuple[str, ...]]:
    """done, overdue (the deadline or a milestone passed undone) or on_track; with the names of
    the overdue milestones."""
    if plan.done_on is not None:
        return "done", ()
    late = tuple(m.name for m in plan.milestones if m.done_on is None and m.due < today)
    if late or plan.deadline < today:
        return "overdue", late
    return "on_track", ()
