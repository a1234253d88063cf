"""Load the synthetic demo base into a store, through the same services real data uses."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from carbonpeak.demo import DemoBase, demo_budgets, demo_task_progress, telemetry_sample
from carbonpeak.plan import PlanDocument
from carbonpeak.services.accounts import Role, add_user, users
from carbonpeak.services.indicator_reports import indicator_reports, report_indicator
from carbonpeak.services.plans import register_plan
from carbonpeak.services.projects_demo import load_demo_projects
from carbonpeak.services.registry import enterprises, register_enterprises
from carbonpeak.services.submissions import accept_all, ingest
from carbonpeak.services.tasks import report_task_progress, task_board
from carbonpeak.services.telemetry import ingest_readings, meters, register_meters
from carbonpeak.services.warnings import set_budget
from carbonpeak.storage import TelemetryStore

__all__ = ["DEMO_ACCOUNTS", "DEMO_ACTOR", "demo_accounts", "load_demo"]

DEMO_ACTOR = "demo (synthetic)"
Progress = Callable[[str, int, int], None]


def load_demo(
    engine: Engine,
    base: DemoBase,
    plan: PlanDocument,
    progress: Progress | None = None,
    store: TelemetryStore | None = None,
) -> dict[str, int]:
    """Register the plan and the synthetic enterprises, submit and accept their monthly reports,
    record the departments' indicator reports and, given a telemetry store, a month of meter
    readings with faults. Loading twice changes nothing."""
    report = progress or (lambda _step, _done, _total: None)
    register_plan(engine, plan)
    added = register_enterprises(engine, base.enterprises, base.facilities, DEMO_ACTOR)
    submissions = 0
    by_enterprise = list(base.activity.groupby("enterprise", sort=False))
    for done, (code, rows) in enumerate(by_enterprise, start=1):
        result = ingest(engine, rows.reset_index(drop=True), f"demo:{code}", DEMO_ACTOR)
        submissions += len(result.created)
        report("月报 monthly reports", done, len(by_enterprise))
    accepted = accept_all(engine, "demo office (synthetic)", "合成演示数据")
    existing = indicator_reports(engine)
    have = (
        set() if existing.empty else set(zip(existing["indicator"], existing["year"], strict=True))
    )
    office = next(o.id for o in plan.plan.organisations if "office" in o.roles)
    statistics = base.macro.melt(id_vars=["year", "unit"], var_name="indicator")
    statistics["reporting_unit"] = office
    report_rows: list[dict[str, Any]] = [
        {str(k): v for k, v in row.items()}
        for row in (*base.indicator_reports.to_dict("records"), *statistics.to_dict("records"))
    ]
    reports = 0
    for done, row in enumerate(report_rows, start=1):
        if (str(row["indicator"]), int(row["year"])) not in have:
            report_indicator(
                engine,
                plan.plan,
                str(row["indicator"]),
                int(row["year"]),
                float(row["value"]),
                str(row["unit"]),
                str(row["reporting_unit"]),
                DEMO_ACTOR,
                synthetic=True,
                received_at=_demo_receipt(int(row["year"])),
            )
            reports += 1
        report("指标报告 indicator reports", done, len(report_rows))
    budgets = 0
    if int(base.months[0][:4]) < int(base.months[-1][:4]):  # needs a previous full year
        for budget in demo_budgets(base).to_dict("records"):
            changed = set_budget(
                engine,
                str(budget["scope"]),
                int(budget["year"]),
                str(budget["kind"]),
                float(budget["value"]),
                DEMO_ACTOR,
            )
            budgets += changed
    progress_reports = 0
    if not any(row["reported_on"] for row in task_board(engine, plan.plan, date.today())):
        for entry in demo_task_progress(plan.plan, base.months[-1]).to_dict("records"):
            report_task_progress(
                engine,
                plan.plan,
                str(entry["task"]),
                str(entry["unit"]),
                entry["reported_on"],
                float(entry["percent"]),
                str(entry["summary"]),
                DEMO_ACTOR,
                str(entry["next_milestone"]),
                entry["milestone_due"],
                synthetic=True,
            )
            progress_reports += 1
    readings = 0
    if store is not None:
        meter_table, records = telemetry_sample(base, base.months[-1])
        register_meters(engine, meter_table, DEMO_ACTOR)
        readings = ingest_readings(store, meters(engine), records)["new"]
        report("在线监测 telemetry", 1, 1)
    return {
        # What a reload adds is nothing: the project counts are listed only when some are added.
        **{name: count for name, count in load_demo_projects(engine, base).items() if count},
        "readings": readings,
        "budgets": budgets,
        "task_reports": progress_reports,
        "enterprises": added,
        "submissions": submissions,
        "accepted": accepted,
        "indicator_reports": reports,
    }


# The demo's four accounts, one per role: the office, a department, an enterprise, a viewer.
DEMO_ACCOUNTS = (
    ("office", Role.admin, "碳达峰办公室（演示）", None, None),
    ("econ-bureau", Role.unit, "经济发展局（演示）", "economic_development_bureau", None),
    ("enterprise", Role.enterprise, "合成企业（演示）", None, "first"),
    ("viewer", Role.viewer, "公开数据查看（演示）", None, None),
)


def demo_accounts(engine: Engine) -> list[tuple[str, str, str]]:
    """Create the demo's accounts where absent, each with a new random password; returns
    (username, password, role) for those created. The enterprise account belongs to the first
    synthetic enterprise. Loading twice creates nothing."""
    existing = {u["username"] for u in users(engine)}
    first = next(iter(enterprises(engine)["code"]), None)
    created = []
    for username, role, name, organisation, enterprise in DEMO_ACCOUNTS:
        if username in existing or (enterprise and first is None):
            continue
        password = secrets.token_urlsafe(12)
        add_user(
            engine,
            username,
            password,
            role,
            display_name=name,
            organisation=organisation,
            enterprise=first if enterprise else None,
            actor=DEMO_ACTOR,
        )
        created.append((username, password, role.value))
    return created


def _demo_receipt(year: int) -> datetime:
    """When a synthetic year's report would have reached the office: mid-February of the next
    year, before that year's assessment date (never later than now)."""
    return min(datetime(year + 1, 2, 15, 9, tzinfo=UTC), datetime.now(UTC))
