"""Acceptance after commissioning (验收, 三(二)1): the accounted monthly energy of the project's
facility against the approved annual figure, flagged beyond the office's tolerance.

The accounted figure is the mean of the last (up to) twelve accounted months since
commissioning, times twelve; with fewer than ``min_months`` months nothing is judged yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from carbonpeak.messages import message
from carbonpeak.projects.reference import AcceptanceRules

__all__ = ["Acceptance", "accept"]


@dataclass(frozen=True)
class Acceptance:
    project: str
    status: str  # within, exceeds, too_early
    approved_tce: float
    accounted_tce: float | None  # annualised
    months: tuple[str, ...]
    gap_pct: float | None  # (accounted − approved) / approved × 100
    tolerance_pct: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def accept(
    project: str,
    approved_tce: float,
    monthly_tce: Mapping[str, float],
    commissioned: str,
    rules: AcceptanceRules,
) -> Acceptance:
    """``monthly_tce``: accounted energy (feedstock apart) per month ``YYYY-MM`` of the facility;
    ``commissioned``: its first month of operation."""
    if approved_tce <= 0:
        raise ValueError(message("error.acceptance.approved_energy"))
    months = sorted(m for m in monthly_tce if m >= commissioned)[-12:]
    if len(months) < rules.min_months:
        return Acceptance(
            project, "too_early", approved_tce, None, tuple(months), None, rules.tolerance_pct
        )
    annual = 12 * sum(monthly_tce[m] for m in months) / len(months)
    gap = 100 * (annual - approved_tce) / approved_tce
    status = "exceeds" if gap > rules.tolerance_pct else "within"
    return Acceptance(
        project, status, approved_tce, annual, tuple(months), gap, rules.tolerance_pct
    )
