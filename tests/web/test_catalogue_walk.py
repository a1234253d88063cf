"""A Chinese UI that is Chinese (issue 16.1): every page each role may open, in zh and en, read as
a person reads it (element text and tooltips, not code or scripts), with no raw identifier, no
Python literal or float repr, and in Chinese no English sentence (tests/text_checks.py)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from tests.text_checks import problems, visible_text
from tests.web.conftest import WebBase, page_client
from tests.web.portal_base import PortalBase
from tests.web.portal_base import page_client as portal_client
from tests.web.test_browser import ROLES, _urls

from carbonpeak.plan import PlanDocument
from carbonpeak.services.portal import publish_indicators
from carbonpeak.web.portal import PORTAL_PAGES

LANGUAGES = ("zh", "en")
# Fragments a page may show as they are: symbols and names that are the same in both languages.
ALLOWED = frozenset({"GB/T", "CO2", "PDF", "XLSX", "CSV", "JSON", "API"})


def _walk(app: FastAPI, base: WebBase, role: str, language: str) -> dict[str, list[str]]:
    client = page_client(app, role)
    client.cookies.set("cp_lang", language)
    found: dict[str, list[str]] = {}
    for _name, path in [("login", "/login"), *_urls(role, base)]:
        # A page may send a role on (an enterprise's /enterprises is its own enterprise's page).
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, (role, path, response.status_code)
        bad = problems(visible_text(response.text), language, ALLOWED)
        if bad:
            found[path] = bad
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_reads_in_its_language(
    role: str, language: str, web_app: FastAPI, web_base: WebBase
) -> None:
    found = _walk(web_app, web_base, role, language)
    assert found == {}, "\n".join(f"{p}: {x}" for p, xs in found.items() for x in xs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_portal_reads_in_its_language(
    language: str, fresh: PortalBase, plan_document: PlanDocument
) -> None:
    """The portal, as anyone reads it without an account, with a publication to show."""
    publish_indicators(fresh.engine, plan_document.plan, 2021, "office")
    client = portal_client(fresh.app(plan_document), "anonymous")
    client.cookies.set("cp_lang", language)
    indicator = plan_document.plan.indicators[0].id
    paths = ["/portal" if page == "home" else f"/portal/{page}" for page in PORTAL_PAGES] + [
        f"/portal/indicators?indicator={indicator}"
    ]
    found: dict[str, list[str]] = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert "nothing-published" not in response.text, path
        bad = problems(visible_text(response.text), language, ALLOWED)
        if bad:
            found[path] = bad
    assert found == {}, "\n".join(f"{p}: {x}" for p, xs in found.items() for x in xs)
