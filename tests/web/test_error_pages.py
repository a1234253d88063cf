"""Refusals on pages: each kind of error (carbonpeak.errors, through the API's one table) is a
page in the normal layout, with the signed-in user's navigation and a heading naming the kind."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from tests.web.conftest import page_client

from carbonpeak.web.i18n import label


def _nav(html: str) -> list[str]:
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(1)) if nav else []


@pytest.mark.parametrize(
    ("username", "url", "status"),
    [
        ("viewer", "/reports", 403),  # the office's page
        ("office", "/enterprises/no_such_code", 404),
        ("office", "/scenarios?scenario=no_such_scenario", 404),
        ("office", "/energy?level=nothing", 422),
        ("office", "/lineage?level=nothing&key=26", 422),
    ],
)
def test_an_error_page_keeps_the_layout_and_names_the_kind(
    web_app: FastAPI, username: str, url: str, status: int
) -> None:
    response = page_client(web_app, username).get(url)
    assert response.status_code == status
    html = response.text
    assert f'data-status="{status}"' in html
    assert label(f"error_{status}", "zh") in html
    assert "/" in _nav(html)  # the navigation is there, as on every page
    assert 'name="csrf_token"' in html  # and the sign-out form works from it


def test_the_navigation_marks_the_current_page_only(web_app: FastAPI) -> None:
    html = page_client(web_app, "office").get("/energy").text
    marked = re.findall(r'<a href="([^"]+)" class="on">', html)
    assert marked == ["/energy"]


@pytest.mark.parametrize(
    ("language", "said"),
    [("zh", "公开数据查看角色无权打开此页面"), ("en", "the viewer role may not open this page")],
)
def test_an_error_page_says_the_error_in_the_visitors_language(
    web_app: FastAPI, language: str, said: str
) -> None:
    client = page_client(web_app, "viewer")
    client.cookies.set("cp_lang", language)
    response = client.get("/reports")
    assert response.status_code == 403
    assert said in response.text
    assert label("error_403", language) in response.text
