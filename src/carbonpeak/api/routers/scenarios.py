"""Scenario projections: the scenario files, one scenario's run, scenarios side by side."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as PathParam

from carbonpeak.api.deps import SignedIn, WithSources
from carbonpeak.api.errors import ERRORS
from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.scenarios import load_scenario, scenario_ids
from carbonpeak.services.scenarios import compare as compare_scenarios
from carbonpeak.services.scenarios import summary_for as scenario_summary_for
from carbonpeak.services.scoped import comparison_for, scenario_for

router = APIRouter(prefix="/api/v1", responses=ERRORS)

MAX_API_DRAWS = 20_000  # bounds the work one request can ask for
Draws = Annotated[int, Query(ge=1, le=MAX_API_DRAWS)]
Seed = Annotated[int, Query(ge=0, le=2**32 - 1)]


@router.get("/scenarios", tags=["scenarios"])
def scenario_list(_: SignedIn) -> list[dict[str, Any]]:
    """情景 The scenario files: id, parent, version, titles, horizon."""
    return [
        {
            "id": sc.id,
            "parent": sc.parent,
            "version": sc.version,
            "title_zh": sc.title_zh,
            "title_en": sc.title_en,
            "horizon": sc.horizon,
            "source": sc.source,
        }
        for sc in (load_scenario(name) for name in scenario_ids())
    ]


@router.get("/scenarios/compare", tags=["scenarios"])
def scenario_compare(
    principal: SignedIn,
    src: WithSources,
    ids: Annotated[list[str], Query(min_length=2, max_length=6)],
    draws: Draws = 2000,
    seed: Seed = 20231101,
) -> dict[str, Any]:
    """情景比较 Scenarios side by side, with the diff of their assumptions."""
    unknown = sorted(set(ids) - set(scenario_ids()))
    if unknown:
        raise NotFound(message("error.scenarios.unknown", names=", ".join(unknown)))
    compared = compare_scenarios(src.engine(), src.plan, ids, draws, seed)
    return comparison_for(principal, src.snapshot(), compared)


@router.get("/scenarios/{scenario_id}", tags=["scenarios"])
def scenario_run(
    principal: SignedIn,
    src: WithSources,
    scenario_id: Annotated[str, PathParam(pattern=r"^[a-z0-9_]{1,80}$")],
    draws: Draws = 2000,
    seed: Seed = 20231101,
) -> dict[str, Any]:
    """情景模拟 A scenario projected from the accounted base year: peak year and value,
    P(peak ≤ 2030), the peak-year distribution, target probabilities and the fan."""
    if scenario_id not in scenario_ids():
        raise NotFound(message("error.no_scenario", name=scenario_id))
    found = scenario_summary_for(src.engine(), src.plan, scenario_id, draws, seed)
    return scenario_for(principal, src.snapshot(), found)
