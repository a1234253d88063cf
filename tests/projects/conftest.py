"""A demo store (demo base to 2024-12, with its synthetic projects), built once per session, and
independent copies for the tests that change the pool."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from carbonpeak.demo import generate
from carbonpeak.plan import PlanDocument
from carbonpeak.services.demo import load_demo
from carbonpeak.storage import make_engine, upgrade

DEMO_END = "2024-12"
COMMISSIONING = "2028-06-30"


@dataclass
class ProjectBase:
    root: Path
    engine: Engine


@pytest.fixture(scope="session")
def project_base(
    tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument
) -> Iterator[ProjectBase]:
    root = tmp_path_factory.mktemp("projects")
    engine = make_engine(f"sqlite:///{root / 'carbonpeak.db'}")
    upgrade(engine)
    load_demo(engine, generate(DEMO_END, plan_document.plan), plan_document)
    yield ProjectBase(root, engine)
    engine.dispose()


def copy_store(base: ProjectBase, target: Path) -> ProjectBase:
    """An independent copy of the store (SQLite's backup API: the WAL included)."""
    with (
        sqlite3.connect(base.root / "carbonpeak.db") as source,
        sqlite3.connect(target / "carbonpeak.db") as copy,
    ):
        source.backup(copy)
    return ProjectBase(target, make_engine(f"sqlite:///{target / 'carbonpeak.db'}"))


def olefins_line(at_benchmark: bool, **changes: Any) -> dict[str, Any]:
    """A new 500 kt/a coal-to-olefins line (50万t/年): below the benchmark level, or at it with
    green hydrogen, green power and CCUS."""
    common: dict[str, Any] = {
        "id": "olefins_500kt",
        "name_zh": "50万吨/年煤制烯烃项目（测试）",
        "owner": "demo_olefins_1",
        "implementing_entity": "demo_olefins_1",
        "responsible_unit": "economic_development_bureau",
        "sector": "2614",
        "product": "olefins",
        "capacity": 50,
        "capacity_unit": "万t/年",
        "investment_yi": 150,
        "stages": [
            {"stage": "planned", "actual": "2026-03-01"},
            {"stage": "in_operation", "planned": COMMISSIONING},
        ],
        "tasks": ["三(三)2"],
    }
    if at_benchmark:
        energy = [
            {"item": "bituminous_coal", "quantity": 1_000_000, "unit": "t", "purpose": "feedstock"},
            {
                "item": "green_hydrogen",
                "quantity": 30_000,
                "unit": "t",
                "purpose": "feedstock",
                "ncv": 120,
                "ncv_unit": "GJ/t",
            },
            {"item": "bituminous_coal", "quantity": 550_000, "unit": "t", "purpose": "fuel"},
            {"item": "electricity", "quantity": 600_000, "unit": "MWh"},
            {
                "item": "renewable_electricity",
                "quantity": 400_000,
                "unit": "MWh",
                "green_certificate": True,
            },
        ]
        extra: dict[str, Any] = {"energy": energy, "co2_captured_t": 1_200_000}
    else:
        energy = [
            {"item": "bituminous_coal", "quantity": 1_400_000, "unit": "t", "purpose": "feedstock"},
            {"item": "bituminous_coal", "quantity": 600_000, "unit": "t", "purpose": "fuel"},
            {"item": "electricity", "quantity": 1_000_000, "unit": "MWh"},
        ]
        extra = {"energy": energy}
    return {**common, **extra, **changes}
