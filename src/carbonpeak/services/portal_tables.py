"""The public portal's tables, each a list of flat rows: what a page shows is what its CSV and
JSON downloads hold. Built from a publication's frozen content and the plan, nothing else."""

from __future__ import annotations

import csv
import io
from typing import Any

from carbonpeak.plan import Plan
from carbonpeak.tracking.method import tracking_method

__all__ = ["csv_text", "indicator_rows", "plan_rows", "summary_rows", "target_rows"]


def target_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: the clause's words, its status and the number it is read by."""
    statuses = tracking_method().statuses
    rows = []
    for t in content.get("targets", []):
        info = statuses.get(t["status"])
        rows.append(
            {
                "id": t["id"],
                "clause": t["clause"],
                "indicator": t["indicator"],
                "name_zh": t["name_zh"],
                "name_en": t["name_en"],
                "target_year": t["year"],
                "stated": t.get("stated"),
                "target": t["target"],
                "target_unit": t["target_unit"],
                "status": t["status"],
                "status_zh": info.zh if info else t["status"],
                "status_en": info.en if info else t["status"],
                "value": t.get("value"),
                "value_year": t.get("value_year"),
                "unit": t["unit"],
                "lead_unit": t.get("lead_unit"),
                "as_of": t.get("as_of"),
                "quote": t.get("quote"),
            }
        )
    return rows


def indicator_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per indicator and year, as published."""
    return [
        {
            "indicator": r["indicator"],
            "name_zh": r["name_zh"],
            "name_en": r["name_en"],
            "year": r["year"],
            "value": r["value"],
            "unit": r["unit"],
            "source": r["source"],
        }
        for r in content.get("indicators", [])
    ]


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per task of the plan's actions, with its responsible units (the first leads)."""
    rows = []
    for action in plan.actions:
        for task in action.tasks:
            units = [plan.organisation(name) for name in task.responsible_units]
            rows.append(
                {
                    "action": action.id,
                    "action_zh": action.title_zh,
                    "action_en": action.title_en,
                    "task": task.id,
                    "task_zh": task.title_zh,
                    "task_en": task.title_en,
                    "responsible_zh": "、".join(u.name_zh for u in units),
                    "responsible_en": "; ".join(u.name_en for u in units),
                }
            )
    return rows


def summary_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """How many targets have each status."""
    counts: dict[str, int] = {}
    for t in content.get("targets", []):
        counts[t["status"]] = counts.get(t["status"], 0) + 1
    statuses = tracking_method().statuses
    return [
        {"status": s, "status_zh": info.zh, "status_en": info.en, "targets": counts[s]}
        for s, info in statuses.items()
        if counts.get(s)
    ]


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a byte-order mark, so spreadsheet programs read the Chinese right."""
    buffer = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()
