"""The portal and the inbox in a real browser (Playwright, Debian's chromium) on a copy of the
demo store: the anonymous portal does not move when an unpublished value changes and moves when
the office publishes; each page and each role's inbox saved as a screenshot
(artifacts/screenshots/portal-*.png, inbox-*.png)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.web.portal_base import PASSWORD, PortalBase, copy_base, free_port, submit_report

from carbonpeak.plan import PlanDocument
from carbonpeak.services.indicator_reports import report_indicator
from carbonpeak.services.notice_events import send_due
from carbonpeak.services.portal import publish_indicators
from carbonpeak.services.submissions import review
from carbonpeak.services.tasks import report_task_progress

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not on PATH; CI installs it (apt chromium)"
)
ARTIFACTS = Path(os.environ.get("CARBONPEAK_ARTIFACTS", Path(__file__).parents[2] / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INDICATOR, YEAR = "new_energy_capacity", 2021


@pytest.fixture(scope="module")
def live(
    portal_base: PortalBase,
    tmp_path_factory: pytest.TempPathFactory,
    plan_document: PlanDocument,
) -> Iterator[tuple[str, PortalBase]]:
    base = copy_base(portal_base, tmp_path_factory.mktemp("portal-browser"))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(base.app(plan_document), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", base
    server.should_exit = True
    thread.join(10)
    base.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _shown_value(page: Any, url: str) -> float:
    page.goto(f"{url}/portal/indicators?indicator={INDICATOR}")
    cell = page.locator(f'#indicator-values tr[data-year="{YEAR}"] .num')
    return float(cell.get_attribute("data-value"))


def test_the_anonymous_portal_shows_published_values_only(
    live: tuple[str, PortalBase], browser: Any, plan_document: PlanDocument
) -> None:
    url, base = live
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(url + "/portal")
    assert page.locator("#nothing-published").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "portal-empty.png"), full_page=True)

    publish_indicators(base.engine, plan_document.plan, YEAR, "office")
    before = _shown_value(page, url)
    report_indicator(
        base.engine,
        plan_document.plan,
        INDICATOR,
        YEAR,
        before + 23.5,
        "万千瓦",
        "economic_development_bureau",
        "econ",
        reason="统计口径更正",
    )
    assert _shown_value(page, url) == before  # not published: the portal does not move
    publish_indicators(base.engine, plan_document.plan, YEAR, "office", "新能源装机更正")
    assert _shown_value(page, url) == before + 23.5
    page.wait_for_selector(".chart[data-drawn]", timeout=20_000)
    page.screenshot(path=str(SCREENSHOTS / "portal-indicator.png"), full_page=True)

    for name, path in (
        ("home", "/portal"),
        ("targets", "/portal/targets"),
        ("indicators", "/portal/indicators"),
        ("plan", "/portal/plan"),
        ("versions", "/portal/versions"),
        ("superseded", f"/portal/targets?period={YEAR}&version=1"),
    ):
        response = page.goto(url + path)
        assert response is not None and response.status == 200, path
        assert page.locator(".synthetic-banner").count() == 1
        page.screenshot(path=str(SCREENSHOTS / f"portal-{name}.png"), full_page=True)
    page.goto(url + "/portal")
    assert page.locator(".chip[data-status]").count() >= 1
    page.click("a.lang")
    page.wait_for_selector("text=Targets and progress")
    page.screenshot(path=str(SCREENSHOTS / "portal-home-en.png"), full_page=True)
    with page.expect_download() as download:
        page.goto(url + "/portal/targets")
        page.click("a[data-download=csv]")
    assert download.value.suggested_filename == f"carbonpeak-targets-{YEAR}v2.csv"
    assert [p for p in problems if "favicon" not in p] == []
    context.close()


@pytest.mark.parametrize("username", ["office", "econ", "enterprise"])
def test_each_roles_inbox(
    username: str,
    live: tuple[str, PortalBase],
    browser: Any,
    plan_document: PlanDocument,
) -> None:
    url, base = live
    if username == "office":  # the first: make the notices every inbox shows
        review(
            base.engine,
            submit_report(base),
            False,
            "office",
            "第2行 燃煤消费量与上月差异过大，请核实",
        )
        report_task_progress(
            base.engine, plan_document.plan, "三(一)1", "economic_development_bureau",
            date(2022, 3, 1), 40, "光伏项目推进中", "econ", "完成并网", date(2022, 5, 31),
        )  # fmt: skip
        send_due(base.engine, plan_document.plan, date(2022, 2, 11))
        send_due(base.engine, plan_document.plan, date(2022, 6, 30))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(url + "/login?next=/inbox")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(url + "/inbox")
    badge = page.locator("#nav-inbox .badge")
    unread = int(badge.get_attribute("data-unread"))
    assert unread == page.locator("tr.unread").count() > 0
    page.screenshot(path=str(SCREENSHOTS / f"inbox-{username}.png"), full_page=True)
    page.locator("tr.unread button[type=submit]").first.click()
    page.wait_for_url(url + "/inbox")
    assert page.locator("tr.unread").count() == unread - 1
    context.close()
