"""The error vocabulary (carbonpeak.errors) reaches the caller through one table: each kind
of refusal gets its one status and the one error shape, whatever service raised it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from carbonpeak.api.errors import status_of
from carbonpeak.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import AccountError, UnknownAccount
from carbonpeak.services.indicator_reports import NotResponsibleForIndicator
from carbonpeak.services.submissions import SubmissionConflict, SubmissionNotFound
from carbonpeak.services.tasks import NotResponsibleForTask
from carbonpeak.services.uploads import UnsupportedFileType
from tests.web.conftest import WebBase, api_client, copy_base

ERROR_SHAPE = {"error", "message", "file", "problems"}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("no task 'x'"), 404),
        (Forbidden("no"), 403),
        (InvalidInput("bad"), 422),
        (Conflict("raced"), 409),
        (AccountError("password: too short"), 422),
        (UnknownAccount("username: no user 'x'"), 404),
        (SubmissionNotFound("no submission 9"), 404),
        (SubmissionConflict("raced"), 409),
        (NotResponsibleForTask("not responsible"), 403),
        (NotResponsibleForIndicator("not responsible"), 403),
        (UnsupportedFileType("unsupported file type '.txt'"), 415),
    ],
)
def test_each_error_has_one_status(error: Exception, status: int) -> None:
    assert status_of(error) == status


def test_not_found_reads_as_its_message_and_is_still_a_key_error() -> None:
    error = not_found(KeyError("no scenario 'x'"))
    assert str(error) == "no scenario 'x'"
    assert isinstance(error, KeyError)
    assert str(UnknownAccount("username: no user 'x'")) == "username: no user 'x'"
    assert isinstance(UnknownAccount("x"), ValueError)  # an AccountError still


def _refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_SHAPE
    assert words in body["error"]


def test_the_api_answers_each_refusal_with_its_status(
    web_base: WebBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    base = copy_base(web_base, tmp_path)  # a wrong refusal would write; not to the shared store
    app = base.app(plan_document)
    office = api_client(app, base, "office")
    unit = api_client(app, base, "econ")
    progress = {"reported_on": "2023-12-01", "percent_complete": 50, "summary": "status test"}
    # 三(二)4 (science and technology) is not the economic development bureau's task.
    _refused(unit.post("/api/v1/tasks/三(二)4/progress", json=progress), 403, "not responsible")
    named = {**progress, "unit": "经济发展局"}
    _refused(office.post("/api/v1/tasks/三(二)4/progress", json=named), 422, "not responsible")
    _refused(office.post("/api/v1/tasks/九(九)9/progress", json=named), 404, "no task")
    # data_centre_pue is not the economic development bureau's indicator.
    value = {"year": 2023, "value": 1.3, "unit": "dimensionless", "reason": "status test"}
    pue = "/api/v1/indicators/data_centre_pue/reports"
    _refused(unit.post(pue, json=value), 403, "not responsible")
    owned_by = {**value, "reporting_unit": "经济发展局"}
    _refused(office.post(pue, json=owned_by), 422, "not responsible")
    nobody = {**value, "reporting_unit": "nobody"}
    _refused(office.post(pue, json=nobody), 404, "no organisation")
    _refused(office.get("/api/v1/tasks", params={"unit": "nobody"}), 404, "no organisation")
    _refused(office.post("/api/v1/users/nobody/unlock"), 404, "no user")
    _refused(office.delete("/api/v1/tokens/999999"), 404, "no token")
    review = {"decision": "accept"}
    _refused(office.post("/api/v1/submissions/999999/review", json=review), 404, "no submission")
    _refused(office.get("/api/v1/scenarios/nothing_here"), 404, "no scenario")
    _refused(
        office.get("/api/v1/lineage", params={"enterprise": "no_such_code", "period": "2022"}),
        404,
        "no activity rows",
    )
    text = io.BytesIO(b"enterprise,period\n")
    upload = office.post("/api/v1/submissions", files={"file": ("r.txt", text, "text/plain")})
    _refused(upload, 415, "unsupported file type")


def test_an_error_with_a_catalogue_text_reads_in_the_request_language(
    web_app: Any, web_base: WebBase
) -> None:
    """The viewer may not see an enterprise's rows (services.scoped): ``error`` stays English,
    ``message`` follows the cp_lang cookie, else Accept-Language, else Chinese."""
    viewer = api_client(web_app, web_base, "viewer")
    path = "/api/v1/accounts"
    params = {"level": "enterprise", "period": "2022"}
    answers = {
        "default": viewer.get(path, params=params),
        "en": viewer.get(path, params=params, headers={"Accept-Language": "en-GB,en;q=0.9"}),
        "zh": viewer.get(path, params=params, headers={"Accept-Language": "fr, zh-CN;q=0.5"}),
    }
    for answer in answers.values():
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "the viewer role sees no enterprise rows"
    assert answers["default"].json()["message"] == "公开数据查看角色不能查看企业明细"
    assert answers["zh"].json()["message"] == "公开数据查看角色不能查看企业明细"
    assert answers["en"].json()["message"] == "the viewer role sees no enterprise rows"
    viewer.cookies.set("cp_lang", "en")
    assert viewer.get(path, params=params).json()["message"].startswith("the viewer role")


def test_request_language_weighs_accept_language() -> None:
    from starlette.requests import Request

    from carbonpeak.api.errors import request_language

    def asking(header: str) -> str:
        scope = {"type": "http", "headers": [(b"accept-language", header.encode())]}
        return request_language(Request(scope))

    assert asking("en;q=0.4, zh;q=0.8") == "zh"
    assert asking("de, en-US") == "en"
    assert asking("") == "zh"
