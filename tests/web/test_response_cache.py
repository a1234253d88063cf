"""The finished responses answered again (api/response_cache.py), the whole overview page with
the user's fragments put in (web/views.py), the unread count and the token cache: each is
dropped by the write that changes what it holds, at the next request, on a real SQLite store."""

from __future__ import annotations

import re
from pathlib import Path

from tests.web.conftest import WebBase, api_client, copy_base, page_client

from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import principal_for_session, revoke_token, tokens
from carbonpeak.services.notices import OFFICE, Recipient, list_notices, mark_read, notify
from carbonpeak.web.views import CSRF_STAND_IN, NAME_STAND_IN, UNREAD_STAND_IN

BADGE = re.compile(
    r'id="nav-inbox">[^<]*(?:<span class="badge" data-unread="(\d+)">\1</span>)?</a>'
)
STAND_INS = (NAME_STAND_IN, CSRF_STAND_IN, UNREAD_STAND_IN)


def _badge(page: str) -> int:
    found = BADGE.search(page)
    assert found is not None, "no inbox link"
    return int(found.group(1) or 0)


def _late_reporters_notice(base: WebBase, day: str) -> list[int]:
    return notify(
        base.engine,
        "late_reporters",
        f"test-late-{day}",
        [Recipient(*OFFICE)],
        {"period": "2025-01", "count": 1, "day": day, "due": day, "enterprises": "x"},
    )


def test_the_kept_overview_carries_each_users_own_name_token_and_badge(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    office = page_client(app, "office")
    first = office.get("/").text
    again = office.get("/")  # answered from the kept bytes
    assert again.text == first
    signed = principal_for_session(base.engine, office.cookies["cp_session"])
    assert signed is not None
    principal, csrf = signed
    assert f'name="csrf_token" value="{csrf}"' in first
    assert f">{principal.display_name} · " in first
    assert not any(stand_in in first for stand_in in STAND_INS)
    # Another user of the same role: the same kept page, with their own token.
    other = page_client(app, "office")
    second = other.get("/").text
    assert second != first
    assert second.replace(_csrf(second), "") == first.replace(_csrf(first), "")


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_new_notice_shows_in_the_badge_at_once_and_a_read_one_leaves_it(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    office = page_client(app, "office")
    before = _badge(office.get("/").text)
    assert _badge(office.get("/").text) == before  # kept
    created = _late_reporters_notice(base, "2025-02-20")
    assert len(created) == 1
    assert _badge(office.get("/").text) == before + 1
    signed = principal_for_session(base.engine, office.cookies["cp_session"])
    assert signed is not None
    mark_read(base.engine, signed[0], created[0])
    assert _badge(office.get("/").text) == before
    assert len(list_notices(base.engine, [Recipient(*OFFICE)], unread_only=True)) == before


def test_a_revoked_token_is_refused_at_once(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    client = api_client(app, base, "viewer")
    first = client.get("/api/v1/tracking")
    assert first.status_code == 200
    assert client.get("/api/v1/tracking").content == first.content  # kept
    (token,) = [
        t
        for t in tokens(base.engine, "viewer")
        if not t["revoked"] and base.tokens["viewer"].startswith(str(t["prefix"]))
    ]
    revoke_token(base.engine, int(str(token["id"])), "office")
    assert client.get("/api/v1/tracking").status_code == 401


def test_gzip_is_kept_with_the_answer_and_is_the_same_bytes(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    client = api_client(app, base, "office")
    plain = client.get("/api/v1/tracking", headers={"Accept-Encoding": "identity"})
    for _ in range(2):  # built by the route and gzipped by the middleware, then kept
        packed = client.get("/api/v1/tracking", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == plain.content  # the client inflates it
    assert len(app.state.response_cache) >= 1
    headers = client.get("/api/v1/tracking", headers={"Accept-Encoding": "gzip"}).headers
    assert headers["vary"].lower() == "accept-encoding"
    assert headers["x-content-type-options"] == "nosniff"  # the security headers still added


def test_an_answer_is_kept_for_its_own_caller_only(
    tmp_path: Path, web_base: WebBase, plan_document: PlanDocument
) -> None:
    base = copy_base(web_base, tmp_path)
    app = base.app(plan_document)
    office = api_client(app, base, "office")
    assert office.get("/api/v1/tracking").status_code == 200
    assert office.get("/api/v1/tracking").status_code == 200  # now kept
    anonymous = api_client(app, base, "anonymous")
    assert anonymous.get("/api/v1/tracking").status_code == 401
    forged = api_client(app, base, "anonymous")
    forged.headers["Authorization"] = "Bearer cpk_not-a-token"
    assert forged.get("/api/v1/tracking").status_code == 401
