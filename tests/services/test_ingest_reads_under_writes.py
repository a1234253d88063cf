"""Readers do not queue behind the snapshot's rebuild: while one caller rebuilds for a new data
version, the others get the previous snapshot at once; a reader after a write in the same thread
still sees the write."""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine

from carbonpeak.plan import PlanDocument
from carbonpeak.services import dashboard
from carbonpeak.services.plans import register_plan
from carbonpeak.services.refreshing import Refreshing
from carbonpeak.services.submissions import ingest, review
from carbonpeak.storage import upgrade
from tests.conftest import add_enterprise


def test_readers_get_the_previous_value_while_one_rebuilds() -> None:
    cache: Refreshing[str] = Refreshing()
    assert cache.get("base", 1, lambda: "v1") == "v1"
    building, release = threading.Event(), threading.Event()
    results: list[str] = []

    def slow_build() -> str:
        building.set()
        release.wait()
        return "v2"

    rebuilder = threading.Thread(target=lambda: results.append(cache.get("base", 2, slow_build)))
    rebuilder.start()
    assert building.wait(30)
    # Version 3 arrives while version 2 is being built: served v1 now, nothing built for it.
    built: list[int] = []
    assert cache.get("base", 3, lambda: built.append(3) or "v3") == "v1"
    assert built == []
    release.set()
    rebuilder.join()
    assert results == ["v2"]
    # No rebuild running: the caller rebuilds and sees the newest version.
    assert cache.get("base", 3, lambda: "v3") == "v3"
    assert cache.get("base", 3, lambda: "never") == "v3"


def test_the_first_build_is_waited_for_by_everyone() -> None:
    cache: Refreshing[str] = Refreshing()
    building, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def build() -> str:
        calls.append("build")
        building.set()
        release.wait()
        return "first"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get("k", 1, build)))
    first.start()
    assert building.wait(30)
    second = threading.Thread(target=lambda: results.append(cache.get("k", 1, build)))
    second.start()
    release.set()
    first.join()
    second.join()
    assert results == ["first", "first"]
    assert calls == ["build"]  # built once, not once per waiting reader


def test_a_failed_rebuild_releases_the_lock() -> None:
    cache: Refreshing[str] = Refreshing()
    cache.get("k", 1, lambda: "v1")

    def broken() -> str:
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        cache.get("k", 2, broken)
    assert cache.get("k", 2, lambda: "v2") == "v2"


def test_a_reader_after_a_write_sees_it(engine: Engine, plan_document: PlanDocument) -> None:
    upgrade(engine)
    register_plan(engine, plan_document)
    add_enterprise(engine)
    plan = plan_document.plan
    before = dashboard.snapshot(engine, plan)
    report = pd.DataFrame(
        [
            {
                "enterprise": "E1",
                "facility": "boiler",
                "sector": "2614",
                "period": "2026-09",
                "item": "bituminous_coal",
                "role": "energy_input",
                "quantity": "1200",
                "unit": "t",
            }
        ]
    )
    ingest(engine, report, "r.csv", "E1 clerk", today=date(2026, 11, 23))
    # Submitted, not accepted: nothing the snapshot shows has changed, so nothing is rebuilt.
    assert dashboard.snapshot(engine, plan) is before
    review(engine, 1, accept=True, actor="office")
    after = dashboard.snapshot(engine, plan)
    assert after.version > before.version
    assert after.accounts is not None and before.accounts is None
