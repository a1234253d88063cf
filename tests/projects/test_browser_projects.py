"""The project pages in a real browser (Playwright driving Debian's chromium, as
tests/web/test_browser.py does): the office signs in, walks the library, a commissioned project
with its acceptance, the two-high register and a review; each page saved as
artifacts/screenshots/projects-*.png."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import Role, add_user
from carbonpeak.storage import TelemetryStore
from carbonpeak.web import create_app
from tests.projects.conftest import ProjectBase, copy_store

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not on PATH")
ARTIFACTS = Path(os.environ.get("CARBONPEAK_ARTIFACTS", Path(__file__).parents[2] / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "correct horse battery"
EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "project-olefins.yaml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live(
    project_base: ProjectBase, tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[str]:
    store = copy_store(project_base, tmp_path_factory.mktemp("projects-browser"))
    add_user(store.engine, "office", PASSWORD, Role.admin)
    telemetry = TelemetryStore(store.root / "telemetry")
    app = create_app(lambda: store.engine, lambda: telemetry, plan_document.plan)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_office_walks_the_project_pages(live: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live}/login?next=/projects")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live}/projects")
        assert page.locator("tr[data-project]").count() == 5
        assert "达效" in page.inner_text("#library")
        assert page.locator("tr[data-pool]").count() == 14  # 2024-2030, energy and carbon
        page.screenshot(path=str(SCREENSHOTS / "projects-library.png"), full_page=True)

        page.click("a[href='/projects/olefins_3_line']")
        assert "超出批复" in page.inner_text("#acceptance")
        page.screenshot(path=str(SCREENSHOTS / "projects-detail.png"), full_page=True)

        page.goto(f"{live}/projects/register")
        assert "逾期" in page.inner_text("#retrofits")
        assert "低于基准水平" in page.inner_text("#two-high")
        page.screenshot(path=str(SCREENSHOTS / "projects-register.png"), full_page=True)

        page.goto(f"{live}/projects/review")
        page.fill("textarea[name=project]", EXAMPLE.read_text(encoding="utf-8"))
        page.fill("input[name=draws]", "200")
        page.click("#run-review")
        page.wait_for_selector("#recommendation", timeout=300_000)
        assert page.inner_text("#recommendation") in ("通过", "有条件通过")
        assert page.locator("tr[data-reason=at_benchmark]").count() == 1
        page.screenshot(path=str(SCREENSHOTS / "projects-review.png"), full_page=True)
        browser.close()
