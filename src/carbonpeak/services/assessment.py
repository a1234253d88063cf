"""The annual assessment (监督考核) of a year, from what the store knew on the year's assessment
date: the rules and the scoring are the core's (:mod:`carbonpeak.tracking.scorecards`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from carbonpeak.accounting import Accounts
from carbonpeak.plan import Plan
from carbonpeak.services.indicators import assessment_values, track
from carbonpeak.services.tasks import task_board
from carbonpeak.tracking import scorecards as scoring

__all__ = ["NAMING_THRESHOLD", "assessment"]

NAMING_THRESHOLD = scoring.NAMING_THRESHOLD


def assessment(
    engine: Engine, plan: Plan, year: int, accounts: Accounts | None = None
) -> dict[str, Any]:
    """Scorecards of ``year``: targets judged with the values up to that year that were known on
    its assessment date, tasks by the reports dated up to it; ``accounts`` saves accounting the
    accepted reports again."""
    cut, values = assessment_values(engine, plan, year, accounts)
    targets = track(engine, plan, year, values, as_of=cut)
    tasks = task_board(engine, plan, cut)
    cards = scoring.scorecards(targets, tasks)
    return {
        "year": year,
        "plan": plan.version,
        "assessment_date": cut.isoformat(),
        "method": scoring.__doc__.split("\n\n")[1].strip() if scoring.__doc__ else "",
        "scorecards": cards,
        "named": [c["unit"] for c in cards if c["named"]],
        "targets": targets,
        "tasks": tasks,
    }
