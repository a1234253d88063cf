"""Pages that fit (issue 16.2), in Debian's chromium against a live server (test_browser.py's
fixtures): every page of every role at 1920, 1440 and 390 px saved as
artifacts/screenshots/<role>-<page>-<width>.png, no page scrolling sideways at 390 px, the login
page without plotly.js and under 100 kB on its first load."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import PASSWORD, WebBase
from tests.web.test_browser import CHROMIUM, ROLES, SCREENSHOTS, _urls, browser, live

__all__ = ["browser", "live"]  # the fixtures, shared with test_browser.py

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not on PATH; CI installs it (apt chromium)"
)
WIDTHS = (1920, 1440, 390)
PHONE = 390
LOGIN_BUDGET = 100_000  # bytes over the wire for the login page's first load


def _overflow(page: Any) -> int:
    """How far the page scrolls sideways (0: it fits)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def _charts_drawn(page: Any) -> None:
    if page.locator(".chart").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart')].every(c => c.dataset.drawn)",
            timeout=30_000,
        )


def _sign_in(page: Any, url: str, role: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(url + "/")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_at_each_width(role: str, live: tuple[str, WebBase], browser: Any) -> None:
    url, base = live
    _playwright, launched = browser
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = launched.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    _sign_in(page, url, role)
    too_wide: dict[str, int] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1080 if width > PHONE else 844})
        for name, path in _urls(role, base):
            response = page.goto(url + path)
            assert response is not None and response.status == 200, (role, path)
            _charts_drawn(page)
            if width == PHONE and _overflow(page) > 0:
                too_wide[name] = _overflow(page)
            page.screenshot(path=str(SCREENSHOTS / f"{role}-{name}-{width}.png"), full_page=True)
    assert too_wide == {}, f"{role}: pages scrolling sideways at {PHONE} px (by px): {too_wide}"
    assert [p for p in problems if "favicon" not in p] == []
    context.close()


def test_the_login_and_error_pages_fit_a_phone(live: tuple[str, WebBase], browser: Any) -> None:
    url, _base = live
    _playwright, launched = browser
    context = launched.new_context(viewport={"width": PHONE, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(url + "/login")
    assert _overflow(page) == 0
    page.screenshot(path=str(SCREENSHOTS / f"anonymous-login-{PHONE}.png"), full_page=True)
    _sign_in(page, url, "viewer")
    refused = page.goto(url + "/admin")
    assert refused is not None and refused.status == 403
    # The 403 page keeps the layout and the signed-in user's navigation.
    assert page.locator("header nav a").count() >= 3
    assert page.locator(".who").get_attribute("data-role") == "viewer"
    assert _overflow(page) == 0
    page.screenshot(path=str(SCREENSHOTS / f"viewer-error-403-{PHONE}.png"), full_page=True)
    context.close()


def test_the_login_page_loads_no_plotly_and_under_100_kb(
    live: tuple[str, WebBase], browser: Any
) -> None:
    url, _base = live
    _playwright, launched = browser
    context = launched.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    transferred: list[int] = []
    cdp.on("Network.loadingFinished", lambda e: transferred.append(e.get("encodedDataLength", 0)))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url + "/login", wait_until="networkidle")
    assert requested, "the login page made no request"
    assert [r for r in requested if "plotly" in r] == []
    assert any("/static/app." in r for r in requested)  # hashed names
    assert 0 < sum(transferred) < LOGIN_BUDGET, sum(transferred)
    # A page with a chart does load plotly.js, under its hashed (cacheable) name.
    _sign_in(page, url, "office")
    _charts_drawn(page)
    plotly = [r for r in requested if "plotly" in r]
    assert len(plotly) == 1 and plotly[0].split("/")[-1].startswith("plotly.")
    assert plotly[0].split("/")[-1] != "plotly.min.js"
    context.close()
