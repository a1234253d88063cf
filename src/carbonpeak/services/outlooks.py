"""The reference scenario's view of the future targets, for tracking: where the scenario engine
projects a target's indicator, the target's status before its year comes from the probability
of meeting it, not from a trend line."""

from __future__ import annotations

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.services import scenarios
from carbonpeak.services.snapshots import Snapshot, memoized
from carbonpeak.tracking.targets import ScenarioOutlook

__all__ = ["scenario_outlooks"]


def scenario_outlooks(engine: Engine, plan: Plan, snap: Snapshot) -> dict[str, ScenarioOutlook]:
    """Target id → the reference scenario's probability and median, for the targets it
    projects; empty without a full accounted year to start from. ``snap`` is the snapshot being
    built: the run is kept with it under the key ``summary_for`` uses, so the scenario page
    and the API show the very numbers tracking used."""
    reference = scenarios.REFERENCE_SCENARIO
    try:
        summary = memoized(
            snap,
            ("scenario", reference, scenarios.DEFAULT_DRAWS, scenarios.DEFAULT_SEED),
            lambda: scenarios.summary(scenarios.run(engine, plan, reference, current=snap), plan),
        )
    except KeyError:
        return {}
    label = f"{summary['scenario']}@{summary['version']}"
    return {
        row["target"]: ScenarioOutlook(label, float(row["probability"]), row["median"])
        for row in summary["targets"]
        if not row["actual"]
    }
