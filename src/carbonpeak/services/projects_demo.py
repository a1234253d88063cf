"""Load the demo's projects, pool years and retrofit plans (synthetic) through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.demo import DemoBase
from carbonpeak.demo.projects import POOL_YEARS, demo_projects, demo_retrofits
from carbonpeak.projects import (
    KINDS,
    LedgerEntry,
    Milestone,
    RetrofitPlan,
    parse_project,
    project_figures,
)
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.projects import add_project
from carbonpeak.services.projects_pool import base_budgets, record_entry
from carbonpeak.services.projects_retrofit import add_retrofit
from carbonpeak.services.warnings import set_budget
from carbonpeak.storage.projects import ProjectRow

__all__ = ["load_demo_projects"]

DEMO_ACTOR = "demo (synthetic)"


def _record_approval(
    engine: Engine, project: str, energy: float, co2: float, document: str
) -> None:
    """An approval given before the platform (the demo's history): the approved figures only."""
    with Session(engine) as session, session.begin():
        row = session.get(ProjectRow, project)
        assert row is not None
        row.approved_energy_tce = energy
        row.approved_co2_t = co2
        AuditWriter(session).append(
            DEMO_ACTOR, "project_approval", "project", project, {"document": document}
        )


def load_demo_projects(engine: Engine, base: DemoBase) -> dict[str, int]:
    """The pool's budget years (each at the base's budget of the demo's last year), the demo
    projects with their approvals and draws, and the retrofit plans. Loading twice adds nothing."""
    with Session(engine) as session:
        if session.scalars(select(ProjectRow).limit(1)).first() is not None:
            return {"projects": 0, "retrofits": 0}
    budgets = base_budgets(engine)
    last = max((year for year, _ in budgets), default=None)
    if last is None:
        return {"projects": 0, "retrofits": 0}
    for year in POOL_YEARS:
        for kind in KINDS:
            if (year, kind) not in budgets and (last, kind) in budgets:
                set_budget(engine, "base", year, kind, budgets[(last, kind)], DEMO_ACTOR)
    added = 0
    for declared in demo_projects(base):
        extra: dict[str, Any] = {
            k: declared.pop(k)
            for k in ("approved_energy_tce", "approved_co2_t", "draw_from")
            if k in declared
        }
        project = parse_project(declared, f"demo project {declared['id']}")
        add_project(engine, project, DEMO_ACTOR)
        added += 1
        if "approved_energy_tce" not in extra:
            continue
        figures = project_figures(project, last)
        energy = extra["approved_energy_tce"] or figures.energy_consumption_tce
        co2 = extra.get("approved_co2_t") or figures.co2_net_t
        document = f"宁东演示节能审查意见（合成）第{added}号"
        _record_approval(engine, project.id, energy, co2, document)
        if extra.get("draw_from") is not None:
            for year in (y for y in POOL_YEARS if y >= int(extra["draw_from"])):
                for kind, amount in (("energy", energy), ("carbon", co2)):
                    record_entry(
                        engine,
                        LedgerEntry(
                            year=year,
                            kind=kind,
                            entry="draw",
                            amount=amount,
                            unit=KINDS[kind][1],
                            document=document,
                            project=project.id,
                        ),
                        DEMO_ACTOR,
                    )
    plans = 0
    for entry in demo_retrofits(base):
        add_retrofit(
            engine,
            RetrofitPlan(
                id=None,
                enterprise=entry["enterprise"],
                facility=entry["facility"],
                product=entry["product"],
                unit_value_before=entry["unit_value_before"],
                unit_value_target=entry["unit_value_target"],
                annual_output_t=entry["annual_output_t"],
                deadline=date.fromisoformat(entry["deadline"]),
                milestones=tuple(
                    Milestone(
                        m["name"],
                        date.fromisoformat(m["due"]),
                        None if m["done_on"] is None else date.fromisoformat(m["done_on"]),
                    )
                    for m in entry["milestones"]
                ),
                document=entry["document"],
            ),
            DEMO_ACTOR,
            synthetic=True,
        )
        plans += 1
    return {"projects": added, "retrofits": plans}
