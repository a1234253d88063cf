"""The dashboard in a real browser: Playwright drives Debian's chromium against a live server on a
copy of the demo store. Each role signs in, opens each page it may, the numbers on the page are
checked against the API, and every page is saved as a screenshot (artifacts/screenshots/)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.web.conftest import PASSWORD, WebBase, copy_base

from carbonpeak.plan import PlanDocument
from carbonpeak.web import PAGES

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not on PATH; CI installs it (apt chromium)"
)
ARTIFACTS = Path(os.environ.get("CARBONPEAK_ARTIFACTS", Path(__file__).parents[2] / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-background-networking",  # the machine has no route out: no update checks
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROLES = {"office": "admin", "econ": "unit", "enterprise": "enterprise", "viewer": "viewer"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live(
    web_base: WebBase, tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[tuple[str, WebBase]]:
    base = copy_base(web_base, tmp_path_factory.mktemp("browser"))
    port = _free_port()
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield playwright, launched
        launched.close()


def _urls(role: str, base: WebBase) -> list[tuple[str, str]]:
    """(name, URL) of every page the role may open."""
    urls = []
    for path, roles in PAGES.items():
        if ROLES[role] not in {r.value for r in roles}:
            continue
        if path == "/enterprises/{code}":
            urls.append(("enterprise", f"/enterprises/{base.own}"))
        elif path == "/projects/{project_id}":
            # A demo library project; an enterprise sees only its own, and this one owns none.
            if role != "enterprise":
                urls.append(("project", "/projects/olefins_3_line"))
        elif path == "/lineage":
            urls.append(("lineage", "/lineage?indicator=co2_emissions&year=2023"))
            if role in ("office", "enterprise"):
                urls.append(("lineage-account", f"/lineage?enterprise={base.own}&period=2023"))
        else:
            urls.append((path.strip("/") or "overview", path))
    return urls


def _values(page: Any, selector: str) -> list[float]:
    return [
        float(v)
        for v in page.eval_on_selector_all(
            selector, "nodes => nodes.map(n => n.getAttribute('data-value'))"
        )
    ]


def _check_numbers(name: str, page: Any, api: Any, base: WebBase) -> int:
    """Compare what the page shows with the API; returns how many numbers were compared."""
    compared = 0
    if name == "overview":
        tracking = api.get("/api/v1/tracking").json()
        for target in tracking["targets"]:
            row = page.locator(f'tr[data-target="{target["id"]}"]')
            assert row.locator(".light").get_attribute("data-status") == target["status"]
            if target["current_value"] is not None and target["achieved_reduction_pct"] is None:
                shown = float(row.locator(".num").get_attribute("data-value"))
                assert shown == pytest.approx(target["current_value"], rel=1e-9), target["id"]
                compared += 1
        for status, count in tracking["status_counts"].items():
            chip = page.locator(f'.chip[data-status="{status}"] b')
            assert int(chip.get_attribute("data-count")) == count
            compared += 1
    elif name == "energy":
        accounts = {
            (r["division"], r["period"]): r
            for r in api.get("/api/v1/accounts", params={"level": "division"}).json()
        }
        for row in page.locator("#energy-table tbody tr").all():
            key = (row.get_attribute("data-key"), row.get_attribute("data-period"))
            if accounts[key]["co2_net_t"] is None:  # confidential: 保密 for this role
                shown = row.locator('td[data-metric="co2_net_t"]').inner_text()
                assert shown == "保密", key
                compared += 1
                continue
            cell = row.locator('td[data-metric="co2_net_t"] .num')
            assert float(cell.get_attribute("data-value")) == pytest.approx(
                accounts[key]["co2_net_t"], rel=1e-9
            )
            shown = cell.inner_text().replace(",", "")
            assert float(shown) == pytest.approx(accounts[key]["co2_net_t"] / 1e4, abs=0.006)
            compared += 1
        intensity = api.get("/api/v1/intensities").json()
        shown = _values(page, "#intensity tbody tr td:nth-child(2) .num")
        assert shown == pytest.approx([r["energy_intensity_gdp"] for r in intensity], rel=1e-9)
        compared += len(shown)
    elif name == "enterprise":
        yearly = api.get(f"/api/v1/enterprises/{base.own}/accounts").json()
        shown = _values(page, '#enterprise-accounts td[data-metric="co2_net_t"] .num')
        assert shown == pytest.approx([r["co2_net_t"] for r in yearly], rel=1e-9)
        compared += len(shown)
    elif name == "quality":
        quality = api.get("/api/v1/telemetry/quality").json()
        shown = _values(page, '#quality-table td[data-metric="quality_score"] .num')
        assert shown == pytest.approx([q["quality_score"] for q in quality], rel=1e-9)
        compared += len(shown)
    elif name == "warnings":
        warnings = api.get("/api/v1/warnings").json()
        shown = page.locator('#warnings-table td[data-metric="forecast_share"]').all_inner_texts()
        # A unit sees an enterprise's forecast as 保密 (that enterprise's own figure).
        assert [s if s == "保密" else float(s) for s in shown] == [
            "保密"
            if w["forecast_share"] is None
            else pytest.approx(100 * w["forecast_share"], abs=0.051)
            for w in warnings
        ]
        compared += len(shown)
    elif name == "assessment":
        year = int(page.locator("select[name=year] option[selected]").inner_text())
        cards = api.get("/api/v1/assessment", params={"year": year}).json()["scorecards"]
        shown = _values(page, '#scorecards td[data-metric="score"] .num')
        assert shown == pytest.approx([c["score"] for c in cards if c["score"] is not None])
        compared += len(shown)
    elif name == "tasks":
        tasks = api.get("/api/v1/tasks").json()
        assert page.locator("tr[data-task]").count() == len(tasks)
        compared += len(tasks)
    elif name == "lineage":
        view = api.get(
            "/api/v1/lineage", params={"indicator": "co2_emissions", "year": 2023}
        ).json()
        shown = _values(page, "#lineage-values .num")
        assert shown == pytest.approx([v["value"] for v in view["values"]], rel=1e-9)
        compared += len(shown)
    elif name == "scenarios":
        result = api.get("/api/v1/scenarios/baseline").json()
        chip = page.locator('#scenario-headline [data-metric="p_peak_by_2030"]')
        assert float(chip.get_attribute("data-value")) == result["p_peak_by_2030"]
        shown = _values(page, "#target-probabilities td[data-value]")
        assert shown == [t["probability"] for t in result["targets"]]
        compared += 1 + len(shown)
    elif name == "lineage-account":
        view = api.get("/api/v1/lineage", params={"enterprise": base.own, "period": "2023"}).json()
        assert page.locator("#lineage-inputs tbody tr").count() == min(len(view["inputs"]), 500)
        assert page.locator("#lineage-factors tbody tr").count() == len(view["factors"])
        compared += len(view["factors"])
    return compared


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_opens_each_page_and_sees_the_apis_numbers(
    role: str, live: tuple[str, WebBase], browser: Any
) -> None:
    url, base = live
    playwright, launched = browser
    api = playwright.request.new_context(
        base_url=url, extra_http_headers={"Authorization": f"Bearer {base.tokens[role]}"}
    )
    context = launched.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(url) else None,
    )
    page.goto(url + "/")
    assert page.url.startswith(url + "/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(url + "/")
    assert page.locator(".who").get_attribute("data-role") == ROLES[role]
    folder = SCREENSHOTS / role
    folder.mkdir(parents=True, exist_ok=True)
    compared = 0
    for name, path in _urls(role, base):
        response = page.goto(url + path)
        assert response is not None
        assert response.status == 200, (role, path)
        # Drawn under the CSP (no inline script): a violation would be a console error below.
        assert "script-src 'self';" in response.headers["content-security-policy"]
        assert page.locator(".synthetic-banner").count() == 1, "synthetic data not labelled"
        if page.locator(".chart").count():
            page.wait_for_selector(".chart[data-drawn]", timeout=20_000)
            assert page.locator(".chart .main-svg").count() >= 1
        compared += _check_numbers(name, page, api, base)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert compared > 0
    assert [p for p in problems if "favicon" not in p] == []
    assert outside == [], "a page reached outside the server"
    context.close()
    api.dispose()


def test_english_switch_and_a_control_room_screen(live: tuple[str, WebBase], browser: Any) -> None:
    url, _base = live
    _playwright, launched = browser
    context = launched.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(url + "/")
    assert page.locator("header nav a").first.inner_text() == "总览"
    page.click("a.lang")
    page.wait_for_selector(".chart[data-drawn]")
    assert page.locator("header nav a").first.inner_text() == "Overview"
    assert "Synthetic demo data" in page.locator(".synthetic-banner").inner_text()
    # At 1920 px the targets table fits without horizontal scrolling.
    widths = page.eval_on_selector("#targets", "t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1]
    folder = SCREENSHOTS / "office"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "overview-en-1920.png"), full_page=False)
    page.click("a.lang")
    assert page.locator("header nav a").first.inner_text() == "总览"
    context.close()
