"""The CLI, the API (who may call what) and the review report PDF, on the demo store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from carbonpeak.cli import app as cli
from carbonpeak.plan import PlanDocument
from carbonpeak.projects import parse_project
from carbonpeak.services.accounts import Role, add_user, create_token
from carbonpeak.services.review import review
from carbonpeak.services.review_report import review_report_file
from carbonpeak.storage import TelemetryStore
from carbonpeak.web import create_app
from tests.projects.conftest import ProjectBase, copy_store, olefins_line

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "project-olefins.yaml"
ARTIFACTS = Path(os.environ.get("CARBONPEAK_ARTIFACTS", Path(__file__).parents[2] / "artifacts"))


def test_cli_list_stage_and_accept(
    project_base: ProjectBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = copy_store(project_base, tmp_path)
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(store.engine.url))
    runner = CliRunner()
    listed = runner.invoke(cli, ["project", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert {p["id"] for p in json.loads(listed.stdout)} >= {"olefins_3_line", "methanol_3_line"}
    over = runner.invoke(cli, ["project", "accept", "olefins_3_line", "--format", "json"])
    assert over.exit_code == 1 and json.loads(over.stdout)[0]["status"] == "exceeds"
    within = runner.invoke(cli, ["project", "accept", "methanol_3_line", "--format", "json"])
    assert within.exit_code == 0 and json.loads(within.stdout)[0]["status"] == "within"
    # A planned project without a passed review cannot start construction.
    refused = runner.invoke(cli, ["project", "stage", "ccus_olefins_2", "under_construction"])
    assert refused.exit_code == 4 and "节能审查" in refused.output  # Conflict; the CLI speaks zh
    moved = runner.invoke(
        cli, ["project", "stage", "degradable_materials", "in_operation", "--on", "2026-10-08"]
    )
    assert moved.exit_code == 0, moved.output
    backwards = runner.invoke(cli, ["project", "stage", "degradable_materials", "planned"])
    assert backwards.exit_code == 1  # InvalidInput
    added = runner.invoke(cli, ["project", "add", str(EXAMPLE)])
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["project", "add", str(EXAMPLE)])
    assert again.exit_code == 4 and "已在项目库中" in again.output  # Conflict, in zh


def test_api_roles_see_what_they_should(
    project_base: ProjectBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    store = copy_store(project_base, tmp_path)
    tokens = {}
    for name, role, enterprise in (
        ("office", Role.admin, None),
        ("owner", Role.enterprise, "demo_olefins_3"),
        ("viewer", Role.viewer, None),
    ):
        add_user(store.engine, name, "correct horse battery", role, enterprise=enterprise)
        tokens[name] = create_token(store.engine, name, "test", "test")
    app = create_app(
        lambda: store.engine, lambda: TelemetryStore(tmp_path / "t"), plan_document.plan
    )

    def client(name: str) -> TestClient:
        return TestClient(app, headers={"Authorization": f"Bearer {tokens[name]}"})

    assert client("viewer").get("/api/v1/projects").status_code == 403
    own = client("owner").get("/api/v1/projects").json()
    assert [p["id"] for p in own] == ["olefins_3_line"]
    assert client("owner").get("/api/v1/projects/methanol_3_line").status_code == 403
    assert client("owner").get("/api/v1/budget-pool").status_code == 403
    office = client("office")
    assert len(office.get("/api/v1/projects").json()) == 5
    pool = office.get("/api/v1/budget-pool").json()
    assert {p["year"] for p in pool["pools"]} == set(range(2024, 2031))  # 2024: the demo's own
    assert all(e["document"] for e in pool["ledger"])
    assert office.get("/api/v1/projects/olefins_3_line/acceptance").json()["status"] == "exceeds"
    assert office.get("/api/v1/retrofits").json()
    assert office.get("/api/v1/two-high").json()
    bad = office.post("/api/v1/projects", json={"id": "Bad Id"})
    assert bad.status_code == 422


def test_review_report_pdf_rendered_and_converted(
    project_base: ProjectBase, plan_document: PlanDocument
) -> None:
    project = parse_project(olefins_line(False))
    result = review(project_base.engine, plan_document.plan, project, with_scenario=False)
    pdf = review_report_file(project, result)
    assert pdf.startswith(b"%PDF")
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "projects-review-report.pdf"
    target.write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(target),
            str(folder / "projects-review-report"),
        ],
        check=True,
    )
    assert (folder / "projects-review-report.png").stat().st_size > 10_000


def test_cli_review_records_and_writes_the_report(
    project_base: ProjectBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = copy_store(project_base, tmp_path)
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(store.engine.url))
    runner = CliRunner()
    assert runner.invoke(cli, ["project", "add", str(EXAMPLE)]).exit_code == 0
    pdf = tmp_path / "review.pdf"
    result = runner.invoke(
        cli,
        [
            "project",
            "review",
            str(EXAMPLE),
            "--draws",
            "100",
            "--record",
            "--pdf",
            str(pdf),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["recommendation"] == "pass_with_conditions"
    assert {r["code"] for r in payload["reasons"]} >= {"at_benchmark", "green_hydrogen", "ccus"}
    assert pdf.read_bytes().startswith(b"%PDF")
    listed = json.loads(runner.invoke(cli, ["project", "list", "--format", "json"]).stdout)
    assert next(p for p in listed if p["id"] == "olefins_500kt")["recommendation"] == (
        "pass_with_conditions"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: Not An Id\n", encoding="utf-8")
    failed = runner.invoke(cli, ["project", "review", str(broken)])
    assert failed.exit_code == 1 and "broken.yaml" in failed.output  # InvalidInput
