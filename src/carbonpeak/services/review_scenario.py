"""A project's effect on the peak and the targets: the office's reference scenario run without
and with the project, on the same accounted base year, draws and seed (``services.scenarios``
does the run; only the scenario differs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from carbonpeak.plan import Plan
from carbonpeak.projects import (
    ScenarioEffect,
    TargetEffect,
    project_figures,
    scenario_project,
    with_project,
)
from carbonpeak.scenarios import Project as ScenarioProject
from carbonpeak.scenarios import Scenario, load_scenario
from carbonpeak.services import dashboard
from carbonpeak.services.scenarios import run_scenario, summary
from carbonpeak.units import unit_label

__all__ = ["library_projects", "run_scenario", "scenario_effect", "scenario_with_library"]


def _targets(plan: Plan, before: dict[str, Any], after: dict[str, Any]) -> tuple[TargetEffect, ...]:
    later = {row["target"]: row for row in after["targets"]}
    effects = []
    for row in before["targets"]:
        if row["actual"] or int(row["year"]) not in (2025, 2030):
            continue
        other = later[row["target"]]
        indicator = plan.indicator(str(row["indicator"]))
        effects.append(
            TargetEffect(
                target=str(row["target"]),
                name_zh=indicator.name_zh,
                name_en=indicator.name_en,
                year=int(row["year"]),
                before=float(row["probability"]),
                after=float(other["probability"]),
                median_before=float(row["median"]),
                median_after=float(other["median"]),
                unit=unit_label(str(row["unit"])),
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
        targets=_targets(plan, before, after),
    )
    return effect, before, after


def library_projects(
    engine: Engine, plan: Plan, snap: dashboard.Snapshot | None = None
) -> tuple[ScenarioProject, ...]:
    """The library's approved projects not yet in operation, as the scenario engine's projects
    (their energy is not in the accounts yet): what a scenario takes from the library."""
    from carbonpeak.services.projects import get_project, list_projects
    from carbonpeak.services.projects_pool import existing_load

    current = snap or dashboard.snapshot(engine, plan)
    year, _ = existing_load(current)
    factors = current.accounts.factor_set if current.accounts is not None else "ningxia"
    found = []
    for row in list_projects(engine):
        if row["approved_energy_tce"] is None or row["stage"] not in (
            "planned",
            "under_construction",
        ):
            continue
        project = get_project(engine, row["id"])
        commissioning = project.commissioning_year()
        if commissioning is not None:
            found.append(
                scenario_project(project, project_figures(project, year, factors), commissioning)
            )
    return tuple(found)


def scenario_with_library(
    engine: Engine, plan: Plan, scenario_id: str, snap: dashboard.Snapshot | None = None
) -> Scenario:
    """The scenario with the library's approved pipeline added after its own projects."""
    scenario = load_scenario(scenario_id)
    for added in library_projects(engine, plan, snap):
        scenario = with_project(scenario, added)
    return scenario
