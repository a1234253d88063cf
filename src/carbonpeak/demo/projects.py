"""The demo's major projects, budget-pool years and retrofit plans (合成演示数据, synthetic).

Projects across the four stages: two running plants of the demo base entered as commissioned
projects (one whose accounted energy exceeds its approval, one within it), one under
construction with its approved draw on the pool, two at the planning stage. Approved figures of
the running plants are their accounted last full year scaled by the calibration below, so
acceptance has one of each outcome. Synthetic, and a demonstration assumption."""

from __future__ import annotations

from typing import Any

from carbonpeak.accounting import account, parse_activity, unit_product_energy
from carbonpeak.demo.generator import DemoBase

__all__ = ["POOL_YEARS", "demo_projects", "demo_retrofits"]

# Budget years of the pool; each set at the base's budget of the demo's last year (synthetic).
POOL_YEARS = tuple(range(2025, 2031))
# Approved energy over the accounted last full year: below 1 the plant exceeds its approval.
_APPROVAL_SHARE = {"demo_olefins_3": 0.9, "demo_methanol_3": 1.08}
_OFFICE = "economic_development_bureau"
_NOTE = "合成演示数据 synthetic demo data"


def _accounted(base: DemoBase) -> tuple[int, dict[str, dict[str, float]]]:
    accounts = account(parse_activity(base.activity, "demo"), "ningxia")
    totals = accounts.totals("facility", "year")
    year = int(base.months[-1][:4]) - (0 if base.months[-1].endswith("-12") else 1)
    chosen = totals[totals["year"].astype(str) == str(year)]
    return year, {
        str(r["enterprise"]): {
            "energy": float(r["energy_consumption_tce"]),
            "carbon": float(r["co2_net_t"]),
        }
        for r in chosen.to_dict("records")
    }


def _running(
    base: DemoBase,
    code: str,
    name: str,
    name_en: str,
    product: str,
    capacity_wt: float,
    stage: str,
    facility: str,
    share: float,
    accounted: dict[str, float],
) -> dict[str, Any]:
    """A running demo plant as a commissioned project: its declared energy is its accounted
    inputs of the last full year, scaled by the approval share; so are its approved figures."""
    year = int(base.months[-1][:4])
    activity = base.activity
    rows = activity[
        (activity["enterprise"] == code)
        & (activity["facility"] == facility)
        & (activity["role"] == "energy_input")
        & activity["period"].astype(str).str.startswith(f"{year}-")
    ]
    sums = (
        rows.assign(quantity=rows["quantity"].astype(float))
        .groupby(["item", "purpose", "unit"])["quantity"]
        .sum()
    )
    energy: list[dict[str, Any]] = []
    for key, quantity in sums.items():
        parts: tuple[object, ...] = tuple(key)  # type: ignore[arg-type]
        item, purpose, unit = (str(part) for part in parts)
        energy.append(
            {
                "item": item,
                "purpose": purpose or "fuel",
                "unit": unit,
                "quantity": round(float(quantity) * share, 1),
            }
        )
    return {
        "id": code.removeprefix("demo_") + "_line",
        "name_zh": f"{name}（合成）",
        "name_en": f"{name_en} (synthetic)",
        "kind": "new",
        "owner": code,
        "implementing_entity": code,
        "responsible_unit": _OFFICE,
        "sector": "2614",
        "product": product,
        "capacity": capacity_wt,
        "investment_yi": 120.0,
        "stage": stage,
        "stages": [
            {"stage": "planned", "actual": "2017-03-01"},
            {"stage": "under_construction", "actual": "2018-04-01"},
            {"stage": "in_operation", "planned": "2020-01-01", "actual": "2020-01-01"},
            *(
                [{"stage": "at_design_performance", "actual": "2021-06-30"}]
                if stage == "at_design_performance"
                else []
            ),
        ],
        "approvals": [
            {"kind": k, "status": "obtained", "document": f"演示〔2017〕{i}号"}
            for i, k in enumerate(("land", "environment", "energy"), start=1)
        ],
        "energy": energy,
        "tasks": ["三(三)2"],
        "facility": facility,
        "synthetic": True,
        "approved_energy_tce": accounted["energy"] * share,
        "approved_co2_t": accounted["carbon"] * share,
    }


def demo_projects(base: DemoBase) -> list[dict[str, Any]]:
    """Project declarations (the library's file format) with, for approved ones, the approved
    figures and the pool draw (``approved_energy_tce``, ``approved_co2_t``, ``draw_from``)."""
    _, accounted = _accounted(base)
    projects = [
        _running(
            base,
            "demo_olefins_3",
            "煤制烯烃装置",
            "Coal-to-olefins plant",
            "olefins",
            60,
            "at_design_performance",
            "olefins_main",
            _APPROVAL_SHARE["demo_olefins_3"],
            accounted["demo_olefins_3"],
        ),
        _running(
            base,
            "demo_methanol_3",
            "煤制甲醇装置",
            "Coal-to-methanol plant",
            "methanol",
            60,
            "in_operation",
            "methanol_main",
            _APPROVAL_SHARE["demo_methanol_3"],
            accounted["demo_methanol_3"],
        ),
        {
            "id": "degradable_materials",
            "name_zh": "煤基可降解材料项目（合成）",
            "name_en": "Coal-based degradable materials (synthetic)",
            "owner": "demo_ethylene_glycol_1",
            "implementing_entity": "demo_ethylene_glycol_1",
            "responsible_unit": _OFFICE,
            "sector": "2651",
            "product": "degradable_plastics",
            "capacity": 12,
            "investment_yi": 45.0,
            "stage": "under_construction",
            "stages": [
                {"stage": "planned", "actual": "2023-05-01"},
                {"stage": "under_construction", "actual": "2024-09-01"},
                {"stage": "in_operation", "planned": "2026-10-01"},
            ],
            "approvals": [
                {"kind": k, "status": "obtained", "document": f"演示〔2024〕{i}号"}
                for i, k in enumerate(("land", "environment", "energy"), start=11)
            ],
            "energy": [
                {"item": "electricity", "quantity": 420000, "unit": "MWh"},
                {"item": "natural_gas", "quantity": 3000, "unit": "万Nm3"},
                {"item": "heat", "quantity": 1500000, "unit": "GJ"},
            ],
            "tasks": ["三(三)1", "三(三)2"],
            "work_plans": [
                {
                    "year": 2025,
                    "unit": _OFFICE,
                    "measures": "主体装置安装（合成）",
                    "milestone": "机械竣工",
                    "due": "2025-12-31",
                },
                {
                    "year": 2026,
                    "unit": _OFFICE,
                    "measures": "联动试车与投产（合成）",
                    "milestone": "投料试车",
                    "due": "2026-09-30",
                },
            ],
            "synthetic": True,
            "approved_energy_tce": None,  # computed at load by the accounting engine
            "draw_from": 2026,
        },
        {
            "id": "green_hydrogen_coupling",
            "name_zh": "绿氢耦合煤制甲醇示范项目（合成）",
            "name_en": "Green hydrogen coupled with coal-to-methanol (synthetic)",
            "owner": "demo_methanol_1",
            "implementing_entity": "demo_methanol_1",
            "responsible_unit": _OFFICE,
            "sector": "2614",
            "product": "methanol",
            "capacity": 30,
            "investment_yi": 60.0,
            "stage": "planned",
            "stages": [
                {"stage": "planned", "actual": "2025-03-01"},
                {"stage": "in_operation", "planned": "2028-06-30"},
            ],
            "approvals": [{"kind": "land", "status": "in_progress"}],
            "energy": [
                {
                    "item": "bituminous_coal",
                    "quantity": 380000,
                    "unit": "t",
                    "purpose": "feedstock",
                },
                {
                    "item": "green_hydrogen",
                    "quantity": 20000,
                    "unit": "t",
                    "purpose": "feedstock",
                    "ncv": 120,
                    "ncv_unit": "GJ/t",
                },
                {"item": "bituminous_coal", "quantity": 100000, "unit": "t"},
                {
                    "item": "renewable_electricity",
                    "quantity": 250000,
                    "unit": "MWh",
                    "green_certificate": True,
                },
            ],
            "tasks": ["三(一)3", "三(三)2"],
            "targets": ["green_hydrogen_capacity_2030"],
            "synthetic": True,
        },
        {
            "id": "ccus_olefins_2",
            "name_zh": "烯烃装置二氧化碳捕集利用项目（合成）",
            "name_en": "CO2 capture at the olefins plant (synthetic)",
            "kind": "retrofit",
            "owner": "demo_olefins_2",
            "implementing_entity": "demo_olefins_2",
            "responsible_unit": _OFFICE,
            "sector": "2614",
            "product": "co2",
            "capacity": 0,
            "investment_yi": 15.0,
            "stage": "planned",
            "stages": [
                {"stage": "planned", "actual": "2025-06-01"},
                {"stage": "in_operation", "planned": "2027-12-31"},
            ],
            "energy": [{"item": "electricity", "quantity": 150000, "unit": "MWh"}],
            "co2_captured_t": 500000,
            "co2_capture_use": "utilised",
            "tasks": ["三(七)"],
            "targets": ["co2_utilisation_2030"],
            "synthetic": True,
        },
    ]
    return projects


def demo_retrofits(base: DemoBase) -> list[dict[str, Any]]:
    """One-enterprise-one-plan retrofits for the demo's facilities below the benchmark level in
    the last full year: the first with its deadline already passed undone (overdue)."""
    accounts = account(parse_activity(base.activity, "demo"), "ningxia")
    year, _ = _accounted(base)
    products = unit_product_energy(accounts)
    below = products[
        (products["year"].astype(str) == str(year))
        & products["levels"].astype(str).str.startswith("ndrc_benchmark")
        & (products["position"] != "at_benchmark")
        & (products["unit"] == "kgce/t")  # savings in tce: energy levels only
    ].sort_values(["enterprise", "facility"])
    plans = []
    for index, row in enumerate(below.head(3).to_dict("records")):
        overdue = index == 0
        deadline = f"{year}-12-31" if overdue else f"{year + 3}-12-31"
        plans.append(
            {
                "enterprise": str(row["enterprise"]),
                "facility": str(row["facility"]),
                "product": str(row["product"]),
                "unit_value_before": float(row["unit_value"]),
                "unit_value_target": float(row["benchmark_level"]),
                "annual_output_t": float(row["output_t"]),
                "deadline": deadline,
                "milestones": [
                    {
                        "name": "节能诊断（合成）",
                        "due": f"{year}-06-30",
                        "done_on": f"{year}-05-20",
                    },
                    {"name": "改造完工（合成）", "due": deadline, "done_on": None},
                ],
                "document": f"一企一策（合成）{index + 1}",
            }
        )
    return plans
