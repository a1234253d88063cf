"""A project's effect on the peak and the targets: the office's reference scenario run without
and with the project, on the same accounted base year, draws and seed (``services.scenarios``
does the run; only the scenario differs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.projects import ScenarioEffect, TargetEffect, with_project
from carbonpeak.scenarios import Project as ScenarioProject
from carbonpeak.scenarios import Scenario, deterministic, load_scenario, project, sample
from carbonpeak.services import dashboard
from carbonpeak.services.scenarios import ScenarioRun, base_year, summary

__all__ = ["run_scenario", "scenario_effect"]


def run_scenario(
    engine: Engine,
    plan: Plan,
    scenario: Scenario,
    draws: int,
    seed: int,
    snap: dashboard.Snapshot | None = None,
) -> ScenarioRun:
    """``services.scenarios.run`` for a scenario given as an object (a file's, with a project
    added)."""
    current = snap or dashboard.snapshot(engine, plan)
    base = base_year(engine, current)
    return ScenarioRun(
        scenario=scenario,
        base=base,
        central=project(scenario, base, deterministic(scenario, base)),
        draws=project(scenario, base, sample(scenario, base, draws, seed)),
        size=draws,
        seed=seed,
    )


def _targets(before: dict[str, Any], after: dict[str, Any]) -> tuple[TargetEffect, ...]:
    later = {row["target"]: row for row in after["targets"]}
    effects = []
    for row in before["targets"]:
        if row["actual"] or int(row["year"]) not in (2025, 2030):
            continue
        other = later[row["target"]]
        effects.append(
            TargetEffect(
                target=str(row["target"]),
                year=int(row["year"]),
                before=float(row["probability"]),
                after=float(other["probability"]),
                median_before=float(row["median"]),
                median_after=float(other["median"]),
                unit=str(row["unit"]),
            )
        )
    return tuple(effects)


def scenario_effect(
    engine: Engine,
    plan: Plan,
    added: ScenarioProject,
    scenario_id: str,
    draws: int,
    seed: int,
    snap: dashboard.Snapshot | None = None,
) -> tuple[ScenarioEffect, dict[str, Any], dict[str, Any]]:
    """The effect of adding ``added`` to ``scenario_id``, with both summaries."""
    current = snap or dashboard.snapshot(engine, plan)
    scenario = load_scenario(scenario_id)
    before = summary(run_scenario(engine, plan, scenario, draws, seed, current), plan)
    after = summary(
        run_scenario(engine, plan, with_project(scenario, added), draws, seed, current), plan
    )
    effect = ScenarioEffect(
        scenario=scenario.id,
        version=scenario.version,
        draws=draws,
        seed=seed,
        base_year=int(before["base_year"]),
        peak_year_before=before["peak_year"],
        peak_year_after=after["peak_year"],
        peak_year_median_before=before["peak_year_median"],
        peak_year_median_after=after["peak_year_median"],
        p_peak_by_2030_before=float(before["p_peak_by_2030"]),
        p_peak_by_2030_after=float(after["p_peak_by_2030"]),
        targets=_targets(before, after),
    )
    return effect, before, after
