"""The synthetic demo base (合成演示数据): a Ningdong-like base to explore on the first run."""

from carbonpeak.demo.budgets import BUDGET_OUTCOMES, demo_budgets
from carbonpeak.demo.generator import (
    SYNTHETIC_NOTE,
    TELEMETRY_METERS,
    DemoBase,
    demo_task_progress,
    generate,
    last_full_month,
    load_calibration,
    telemetry_sample,
)

__all__ = [
    "BUDGET_OUTCOMES",
    "SYNTHETIC_NOTE",
    "TELEMETRY_METERS",
    "DemoBase",
    "demo_budgets",
    "demo_task_progress",
    "generate",
    "last_full_month",
    "load_calibration",
    "telemetry_sample",
]
