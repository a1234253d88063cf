"""Key energy-using units are flagged from their accounts, and owe a meter per energy carrier
they consume."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from carbonpeak.plan import PlanDocument
from carbonpeak.services import dashboard
from carbonpeak.services.registry_detail import enterprise_detail
from carbonpeak.services.registry_keyunits import apply_key_unit_flags, key_units
from carbonpeak.services.registry_life import history, open_entry
from carbonpeak.services.submissions import accept_all, ingest
from carbonpeak.storage import TelemetryStore, upgrade
from tests.services.registry_helpers import register_power_plant, report


def test_key_unit_by_accounts_with_monitoring_owed(
    engine: Engine, tmp_path: Path, plan_document: PlanDocument
) -> None:
    upgrade(engine)
    register_power_plant(engine)  # 100,000 t of coal a month: far above 1万 tce a year
    register_power_plant(engine, "nd_small")
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    for month in months:
        ingest(engine, report(period=month), f"{month}.csv", "plant")
        ingest(engine, report("nd_small", month, coal="100"), f"s{month}.csv", "small")
    accept_all(engine, "office")
    open_entry(
        engine,
        "meter",
        {
            "enterprise": "nd_power",
            "meter": "m_power",
            "carrier": "electricity",
            "interval_minutes": "15",
            "max_interval_value": "90",
            "calibration_due": "2027-01-01",
        },
        "office",
    )
    store = TelemetryStore(tmp_path / "telemetry")
    snap = dashboard.snapshot(engine, plan_document.plan)
    rows = {r["enterprise"]: r for r in key_units(engine, snap, store)}
    big, small = rows["nd_power"], rows["nd_small"]
    assert big["year"] == "2024" and not big["estimated"]
    assert big["energy_gross_tce"] > 10_000 > small["energy_gross_tce"]
    assert (big["key_by_accounts"], small["key_by_accounts"]) == (True, False)
    assert big["carriers_owed"] == ["bituminous_coal"]  # what it burns, not what it supplies
    assert big["carriers_metered"] == ["electricity"]
    assert big["coverage"] == 0.0
    assert small["carriers_owed"] == [] and small["coverage"] is None
    assert apply_key_unit_flags(engine, snap, store, "office") == ["nd_power"]
    assert enterprise_detail(engine, "nd_power")["enterprise"]["key_energy_unit"] is True
    assert history(engine, "nd_power")[-1]["after"] == {"key_energy_unit": True}
    assert apply_key_unit_flags(engine, snap, store, "office") == []  # nothing left to change
