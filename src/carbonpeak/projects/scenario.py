"""A library project as the scenario engine's project (``carbonpeak.scenarios.Project``): its
accounted figures entering at its commissioning year, CO2 captured by the project deducted from
its own process (then combustion) CO2, as ``co2_net`` deducts it in the accounts."""

from __future__ import annotations

from carbonpeak.projects.energy import ProjectFigures
from carbonpeak.projects.model import Project
from carbonpeak.scenarios import Project as ScenarioProject
from carbonpeak.scenarios import Scenario

__all__ = ["scenario_project", "with_project"]


def scenario_project(
    project: Project, figures: ProjectFigures, commissioning: int
) -> ScenarioProject:
    captured = figures.co2_captured_t
    process = max(figures.co2_process_t - captured, 0.0)
    combustion = max(figures.co2_combustion_t - max(captured - figures.co2_process_t, 0.0), 0.0)
    return ScenarioProject(
        id=project.id,
        name_zh=project.name_zh,
        division=project.division,
        commissioning=commissioning,
        energy_tce=max(figures.energy_consumption_tce, 0.0),
        combustion_co2_t=combustion,
        process_co2_t=process,
        electricity_mwh=figures.grid_electricity_mwh,
        coal_t=figures.coal_t,
    )


def with_project(scenario: Scenario, project: ScenarioProject) -> Scenario:
    """The scenario with the project added last (replacing one of the same id), so that every
    other draw of a seeded run stays what it was."""
    kept = tuple(p for p in scenario.projects if p.id != project.id)
    return scenario.model_copy(update={"projects": (*kept, project)})
