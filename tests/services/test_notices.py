"""Notices: one per event per recipient, in the inbox of the recipient the plan or the registry
names, and mailed to a local SMTP server where one is configured; a failed mail loses nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest

from carbonpeak.plan import PlanDocument
from carbonpeak.services.mailer import smtp_settings
from carbonpeak.services.notice_events import report_deadline, send_due
from carbonpeak.services.notices import (
    Recipient,
    list_notices,
    notices_for,
    notify_returned,
    retry_mail,
    set_contact,
    unread_count,
)
from carbonpeak.services.submissions import review
from carbonpeak.services.tasks import report_task_progress
from tests.web.portal_base import (
    PortalBase,
    SmtpServer,
    api_client,
    free_port,
    page_client,
    submit_report,
)

ADDRESS = "energy@enterprise.example"


def test_a_returned_report_reaches_the_enterprise_inbox_and_the_smtp_server(
    fresh: PortalBase, smtp_server: SmtpServer
) -> None:
    set_contact(fresh.engine, Recipient("enterprise", fresh.own), ADDRESS, "office")
    submission = submit_report(fresh)
    returned = review(fresh.engine, submission, False, "office", "第3行 燃煤量单位应为吨")

    inbox = notices_for(fresh.engine, fresh.principal("enterprise"))
    assert [(n["kind"], n["event"]) for n in inbox] == [("returned", f"returned:{submission}")]
    assert "第3行 燃煤量单位应为吨" in inbox[0]["body_zh"]
    assert inbox[0]["mail_state"] == "sent"
    # The office's and the unit's inboxes do not get the enterprise's notice.
    assert notices_for(fresh.engine, fresh.principal("econ")) == []
    assert notices_for(fresh.engine, fresh.principal("office")) == []

    assert len(smtp_server.received.messages) == 1
    sender, recipients, message = smtp_server.received.messages[0]
    assert (sender, recipients) == ("tanfeng@ningdong.example", [ADDRESS])
    assert "报送被退回" in str(message["Subject"])
    body = message.get_content()
    assert "第3行 燃煤量单位应为吨" in body and returned.period in body

    # The same event again makes no second notice and no second mail.
    assert notify_returned(fresh.engine, returned) == []
    assert len(notices_for(fresh.engine, fresh.principal("enterprise"))) == 1
    assert len(smtp_server.received.messages) == 1


def test_a_mail_that_fails_is_recorded_and_the_notice_kept_then_sent_on_retry(
    fresh: PortalBase, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    set_contact(fresh.engine, Recipient("enterprise", fresh.own), ADDRESS, "office")
    monkeypatch.setenv("CARBONPEAK_SMTP_PORT", str(free_port()))  # nobody listens there
    review(fresh.engine, submit_report(fresh), False, "office", "请补充附件")
    [notice] = notices_for(fresh.engine, fresh.principal("enterprise"))
    assert notice["mail_state"] == "failed"
    [stored] = list_notices(fresh.engine)
    assert stored["id"] == notice["id"]
    assert smtp_server.received.messages == []

    monkeypatch.setenv("CARBONPEAK_SMTP_PORT", str(smtp_server.port))
    assert retry_mail(fresh.engine) == 1
    assert len(smtp_server.received.messages) == 1
    [notice] = notices_for(fresh.engine, fresh.principal("enterprise"))
    assert notice["mail_state"] == "sent"


def test_without_smtp_notices_stay_in_the_inbox(
    fresh: PortalBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARBONPEAK_SMTP_HOST", raising=False)
    assert smtp_settings() is None
    set_contact(fresh.engine, Recipient("enterprise", fresh.own), ADDRESS, "office")
    review(fresh.engine, submit_report(fresh), False, "office", "数量有误")
    [notice] = notices_for(fresh.engine, fresh.principal("enterprise"))
    assert notice["mail_state"] == "none"


def test_smtp_settings_are_read_from_the_environment() -> None:
    assert smtp_settings({}) is None
    settings = smtp_settings(
        {
            "CARBONPEAK_SMTP_HOST": "mail.example",
            "CARBONPEAK_SMTP_PORT": "587",
            "CARBONPEAK_SMTP_SENDER": "office@example",
            "CARBONPEAK_SMTP_USER": "office",
            "CARBONPEAK_SMTP_PASSWORD": "secret",
            "CARBONPEAK_SMTP_STARTTLS": "true",
        }
    )
    assert settings is not None
    assert (settings.host, settings.port, settings.starttls, settings.user) == (
        "mail.example",
        587,
        True,
        "office",
    )
    with pytest.raises(ValueError, match="CARBONPEAK_SMTP_PORT"):
        smtp_settings({"CARBONPEAK_SMTP_HOST": "mail.example", "CARBONPEAK_SMTP_PORT": "smtp"})


def test_deadlines_and_overdue_reports_go_to_the_enterprises_and_the_office_once(
    fresh: PortalBase, plan_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARBONPEAK_SMTP_HOST", raising=False)
    assert report_deadline("2022-01") == date(2022, 2, 10)
    assert report_deadline("2021-12") == date(2022, 1, 10)
    plan = plan_document.plan
    # Every demo enterprise reported December 2021: nothing due for it.
    early = send_due(fresh.engine, plan, date(2022, 1, 9))
    assert early["deadlines"] == 0
    # Nobody has reported January 2022: a reminder three days before the 10th ...
    due = send_due(fresh.engine, plan, date(2022, 2, 8))
    own = notices_for(fresh.engine, fresh.principal("enterprise"))
    assert [n["event"] for n in own if n["kind"] == "report_due"] == [
        f"report_due:{fresh.own}:2022-01"
    ]
    # ... and after it, overdue to each enterprise and the list of late reporters to the office.
    late = send_due(fresh.engine, plan, date(2022, 2, 11))
    assert late["deadlines"] == due["deadlines"] + 1  # the same enterprises, and the office
    office = notices_for(fresh.engine, fresh.principal("office"))
    [summary] = [n for n in office if n["kind"] == "late_reporters"]
    overdue = [n for n in list_notices(fresh.engine) if n["kind"] == "report_overdue"]
    assert f"{len(overdue)} 家企业" in summary["subject_zh"]
    assert all(n["recipient_kind"] == "enterprise" for n in overdue)
    assert "demo_" not in summary["body_zh"]  # names, not registry codes
    # Running it again for the same day makes nothing twice.
    again = send_due(fresh.engine, plan, date(2022, 2, 11))
    assert again["deadlines"] == 0
    assert again["overdue_tasks"] == 0 and again["budget_warnings"] == 0
    assert again["target_warnings"] == 0


def test_overdue_tasks_and_target_warnings_reach_the_units_the_plan_names(
    fresh: PortalBase, plan_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARBONPEAK_SMTP_HOST", raising=False)
    plan = plan_document.plan
    # A co-responsible unit's milestone passes unfinished: its part is overdue, the lead's not.
    _action, task = plan.task("三(一)1")
    lead, partner = (plan.organisation(u).id for u in task.responsible_units[:2])
    report_task_progress(
        fresh.engine, plan, task.id, lead, date(2022, 3, 1), 40, "推进中", "econ",
        "完成评估", date(2022, 12, 31),
    )  # fmt: skip
    report_task_progress(
        fresh.engine, plan, task.id, partner, date(2022, 3, 1), 60, "推进中", "other",
        "项目开工", date(2022, 5, 31),
    )  # fmt: skip
    made = send_due(fresh.engine, plan, date(2022, 6, 30))
    notices = list_notices(fresh.engine)
    tasks = [n for n in notices if n["kind"] == "task_overdue"]
    assert len(tasks) == made["overdue_tasks"]
    assert [
        (n["recipient"], n["event"])
        for n in tasks
        if n["event"].startswith(f"task_overdue:{task.id}:")
    ] == [(partner, f"task_overdue:{task.id}:{partner}:2022-05-31")]
    for notice in tasks:
        task = notice["event"].split(":")[1]
        responsible = {plan.organisation(u).id for u in plan.task(task)[1].responsible_units}
        assert (notice["recipient_kind"], notice["recipient"] in responsible) == (
            "organisation",
            True,
        )
    # A budget forecast is its enterprise's own figure: a unit is told the level, not the share.
    budgets = [n for n in notices if n["kind"] in ("budget_warning", "budget_level")]
    assert len(budgets) == made["budget_warnings"] > 0
    for notice in budgets:
        to_enterprise = notice["recipient_kind"] == "enterprise"
        assert notice["kind"] == ("budget_warning" if to_enterprise else "budget_level")
        assert ("%" in notice["body_zh"]) is to_enterprise, notice
    targets = [n for n in notices if n["kind"] == "target_warning"]
    assert len(targets) == made["target_warnings"]
    for notice in targets:
        target = next(t for t in plan.targets if t.id == notice["event"].split(":")[1])
        named = {o.id for o in plan.responsible_units(target)}
        assert notice["recipient"] in named | {"office"}


def test_the_inbox_page_and_api_show_the_count_and_mark_read(
    fresh: PortalBase, plan_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARBONPEAK_SMTP_HOST", raising=False)
    review(fresh.engine, submit_report(fresh), False, "office", "请核对单位")
    app = fresh.app(plan_document)
    client = page_client(app, "enterprise")
    page = client.get("/inbox")
    assert page.status_code == 200
    assert 'data-unread="1"' in page.text and "请核对单位" in page.text
    [notice_id] = re.findall(r'data-notice="(\d+)"', page.text)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    done = client.post(f"/inbox/{notice_id}/read", data={"csrf_token": csrf.group(1)})
    assert done.status_code == 303
    assert unread_count(fresh.engine, fresh.principal("enterprise")) == 0
    assert "data-unread" not in client.get("/inbox").text
    # Somebody else's notice is not theirs to read; the viewer has no inbox.
    other = page_client(app, "econ")
    other_csrf = re.search(r'name="csrf_token" value="([^"]+)"', other.get("/inbox").text)
    assert other_csrf is not None
    refused = other.post(f"/inbox/{notice_id}/read", data={"csrf_token": other_csrf.group(1)})
    assert refused.status_code == 404
    assert page_client(app, "viewer").get("/inbox").status_code == 403
    assert page_client(app, "anonymous").get("/inbox").status_code == 303

    api = api_client(app, fresh, "enterprise").get("/api/v1/notices")
    assert api.status_code == 200
    assert api.json()["unread"] == 0 and api.json()["items"][0]["kind"] == "returned"
    assert api_client(app, fresh, "anonymous").get("/api/v1/notices").status_code == 401


def test_a_malformed_smtp_setting_fails_the_mail_not_the_return(
    fresh: PortalBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CARBONPEAK_SMTP_PORT", "smtp")
    set_contact(fresh.engine, Recipient("enterprise", fresh.own), ADDRESS, "office")
    returned = review(fresh.engine, submit_report(fresh), False, "office", "请核对")
    assert returned.state == "returned"
    [notice] = list_notices(fresh.engine)
    assert notice["mail_state"] == "failed"
