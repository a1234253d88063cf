"""After the review, by CLI and API: progress on annual work plans, the office's opinion, a
closure and a finished retrofit, each moving the budget pool by what it should, and refused to
the roles that may not record them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from carbonpeak.cli import app as cli
from carbonpeak.plan import PlanDocument
from carbonpeak.projects import parse_project
from carbonpeak.services.accounts import Role, add_user, create_token
from carbonpeak.services.projects import add_project, project_detail
from carbonpeak.services.projects_pool import pool
from carbonpeak.services.projects_retrofit import retrofits
from carbonpeak.services.review import latest_review, record_review, review
from carbonpeak.services.store import TelemetryStore
from carbonpeak.web import create_app
from tests.projects.conftest import ProjectBase, copy_store, olefins_line


def test_work_plan_progress_and_a_finished_retrofit_by_the_cli(
    project_base: ProjectBase,
    plan_document: PlanDocument,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    store = copy_store(project_base, tmp_path)
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(store.engine.url))
    runner = CliRunner()
    plans = [
        (p["id"], project)
        for project in ("degradable_materials", "green_hydrogen_coupling", "ccus_olefins_2")
        for p in project_detail(store.engine, project)["work_plans"]
    ]
    assert plans, "the demo library has annual work plans"
    plan_id, project = plans[0]
    done = runner.invoke(cli, ["project", "progress", str(plan_id), "60", "--on", "2026-11-30"])
    assert done.exit_code == 0, done.output
    row = next(p for p in project_detail(store.engine, project)["work_plans"] if p["id"] == plan_id)
    assert row["percent_complete"] == 60 and row["reported_on"] == date(2026, 11, 30)
    over = runner.invoke(cli, ["project", "progress", str(plan_id), "160"])
    assert over.exit_code == 1 and "0 到 100" in over.output  # the CLI speaks zh by default
    assert runner.invoke(cli, ["project", "progress", "999999", "10"]).exit_code == 2

    open_plan = next(r for r in retrofits(store.engine, date(2026, 12, 5)) if r["done_on"] is None)
    year = max(date.today().year, 2026)
    before = pool(store.engine, plan_document.plan, year, "energy")
    finished = runner.invoke(
        cli,
        ["project", "retrofit-done", str(open_plan["id"]), "--document", "宁东验〔2026〕7号"],
    )
    assert finished.exit_code == 0, finished.output
    after = pool(store.engine, plan_document.plan, year, "energy")
    assert after.released - before.released == pytest.approx(open_plan["saving_tce"])
    again = runner.invoke(
        cli, ["project", "retrofit-done", str(open_plan["id"]), "--document", "x"]
    )
    assert again.exit_code == 4  # Conflict: already done


def test_opinion_and_closure_by_the_api_for_the_office_only(
    project_base: ProjectBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    store = copy_store(project_base, tmp_path)
    engine, plan = store.engine, plan_document.plan
    tokens = {}
    for name, role in (("office", Role.admin), ("viewer", Role.viewer)):
        add_user(engine, name, "correct horse battery", role)
        tokens[name] = create_token(engine, name, "test", "test")
    add_user(engine, "econ", "correct horse battery", Role.unit,
             organisation="economic_development_bureau")  # fmt: skip
    tokens["econ"] = create_token(engine, "econ", "test", "test")
    app = create_app(lambda: engine, lambda: TelemetryStore(tmp_path / "t"), plan)

    def client(name: str) -> TestClient:
        return TestClient(app, headers={"Authorization": f"Bearer {tokens[name]}"})

    project = parse_project(olefins_line(True))
    add_project(engine, project, "test")
    review_id = record_review(engine, review(engine, plan, project, with_scenario=False), "test")
    body = {"approve": True, "opinion": "同意（测试）", "document": "宁东审〔2026〕2号"}
    url = f"/api/v1/projects/reviews/{review_id}/opinion"
    assert client("econ").post(url, json=body).status_code == 403
    assert client("viewer").post(url, json=body).status_code == 403
    before = pool(engine, plan, 2028, "energy")
    assert client("office").post(url, json=body).status_code == 200
    assert pool(engine, plan, 2028, "energy").drawn > before.drawn
    assert client("office").post(url, json=body).status_code == 409  # one opinion per review
    stored = latest_review(engine, project.id)
    assert stored is not None and stored["opinion_document"] == "宁东审〔2026〕2号"

    closure = {
        "enterprise": "demo_coking_3",
        "facility": "coking_main",
        "closed_on": "2026-12-01",
        "document": "宁东关〔2026〕3号",
    }
    assert client("econ").post("/api/v1/budget-pool/closures", json=closure).status_code == 403
    released_before = pool(engine, plan, 2027, "energy").released
    answer = client("office").post("/api/v1/budget-pool/closures", json=closure)
    assert answer.status_code == 200, answer.text
    assert pool(engine, plan, 2027, "energy").released > released_before
    progress = client("econ").post(
        "/api/v1/projects/work-plans/999999/progress", json={"percent": 10, "on": "2026-12-01"}
    )
    assert progress.status_code == 404  # a unit may report; this plan does not exist


def test_the_forms_on_the_project_pages_record_and_say_so(
    project_base: ProjectBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    """The office marks a retrofit done and a unit reports work-plan progress through the
    pages' forms; the pool and the plan move, the page says what was done, and a refused post
    (an unknown work plan) comes back with the reason, nothing written."""
    from tests.web.conftest import PASSWORD, page_client

    store = copy_store(project_base, tmp_path)
    engine, plan = store.engine, plan_document.plan
    add_user(engine, "office", PASSWORD, Role.admin)
    add_user(engine, "econ", PASSWORD, Role.unit, organisation="economic_development_bureau")
    app = create_app(lambda: engine, lambda: TelemetryStore(tmp_path / "t"), plan)

    office = page_client(app, "office")
    page = office.get("/projects/register")
    assert page.status_code == 200 and 'action="/projects/retrofit-done"' in page.text
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    open_plan = next(r for r in retrofits(engine, date(2026, 12, 5)) if r["done_on"] is None)
    year = max(date.today().year, 2026)
    before = pool(engine, plan, year, "energy").released
    done = office.post(
        "/projects/retrofit-done",
        data={
            "csrf_token": csrf,
            "retrofit": str(open_plan["id"]),
            "document": "宁东验〔2026〕8号",
        },
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/projects/register?")
    assert "宁东验〔2026〕8号" in office.get(done.headers["location"]).text
    assert pool(engine, plan, year, "energy").released - before == pytest.approx(
        open_plan["saving_tce"]
    )

    econ = page_client(app, "econ")
    project, work_plan = next(
        (name, p["id"])
        for name in ("degradable_materials", "green_hydrogen_coupling", "ccus_olefins_2")
        for p in project_detail(engine, name)["work_plans"]
    )
    detail = econ.get(f"/projects/{project}")
    assert f'data-work-plan="{work_plan}"' in detail.text
    csrf = detail.text.split('name="csrf_token" value="')[1].split('"')[0]
    fields = {"csrf_token": csrf, "project": project, "work_plan": str(work_plan)}
    moved = econ.post("/projects/progress", data={**fields, "percent": "75"})
    assert moved.status_code == 303
    row = next(p for p in project_detail(engine, project)["work_plans"] if p["id"] == work_plan)
    assert row["percent_complete"] == 75
    refused = econ.post("/projects/progress", data={**fields, "percent": "175"})
    assert "error=" in refused.headers["location"]
    assert "0 到 100" in econ.get(refused.headers["location"]).text  # in the page's language
    row = next(p for p in project_detail(engine, project)["work_plans"] if p["id"] == work_plan)
    assert row["percent_complete"] == 75


def test_scenario_run_with_the_library_is_the_library_scenario(
    project_base: ProjectBase,
    plan_document: PlanDocument,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`carbonpeak scenario run policy --with-library` runs the scenario with the library's
    approved pipeline added: the same numbers as the service, and a higher central path in the
    year the approved project runs than the scenario file's pipeline alone."""
    from carbonpeak.services.review_scenario import scenario_with_library
    from carbonpeak.services.scenarios import run_scenario, summary

    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(project_base.engine.url))
    runner = CliRunner()
    args = ["scenario", "run", "policy", "--draws", "100", "--format", "json"]
    plain = runner.invoke(cli, args)
    library = runner.invoke(cli, [*args, "--with-library"])
    assert plain.exit_code == 0 and library.exit_code == 0, library.output
    engine, plan = project_base.engine, plan_document.plan
    scenario = scenario_with_library(engine, plan, "policy")
    expected = summary(run_scenario(engine, plan, scenario, 100, 20231101), plan)
    got = json.loads(library.stdout)
    assert got["p_peak_by_2030"] == expected["p_peak_by_2030"]
    assert got["peak_year"] == expected["peak_year"]
    assert json.dumps(got, sort_keys=True, default=str) != json.dumps(
        json.loads(plain.stdout), sort_keys=True, default=str
    )
