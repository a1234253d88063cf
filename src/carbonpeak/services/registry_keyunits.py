"""Key energy-using units (重点用能单位) flagged from their accounts, and the online monitoring
each owes and has.

An enterprise is a key unit when its comprehensive energy consumption (综合能源消费量, gross,
feedstock included, as the law counts it) in its latest complete year of accepted reports
reaches the threshold of the reference data (1万 tce/a); a year with fewer months is scaled to
twelve and marked ``estimated``. A key unit owes an online meter for every energy carrier it
reports consuming (发改环资〔2017〕1711号) and data at least 90 % complete; what it has is its
open meters' carriers and its monitoring completeness of the latest month."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.services import dashboard
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.registry_fields import registry_parameter
from carbonpeak.services.submissions import accepted_activity
from carbonpeak.storage import EnterpriseRow, MeterRow, RegistryChangeRow, TelemetryStore

__all__ = ["apply_key_unit_flags", "key_unit_threshold", "key_units"]


def key_unit_threshold() -> tuple[float, float]:
    """(threshold in tce/a, completeness owed as a fraction), from the reference data."""
    return registry_parameter("threshold"), registry_parameter("completeness") / 100


def _annual_energy(snap: dashboard.Snapshot) -> dict[str, tuple[str, float, bool]]:
    """Enterprise → (year, gross energy tce/a, estimated) of its latest year."""
    latest: dict[str, tuple[str, float, bool]] = {}
    for row in dashboard.energy_carbon(snap, "enterprise", "year"):
        months = int(row.get("months") or 12)
        if not months:
            continue
        gross = float(row["energy_gross_tce"] or 0.0) * 12 / months
        found = latest.get(row["enterprise"])
        complete = months == 12
        # A complete year beats a later partial one; among equals, the later year wins.
        rank = (complete, str(row["period"]))
        if found is None or rank > (not found[2], found[0]):
            latest[row["enterprise"]] = (str(row["period"]), gross, not complete)
    return latest


def _carriers_used(engine: Engine) -> dict[str, set[str]]:
    activity = accepted_activity(engine)
    if activity.empty or "role" not in activity.columns:
        return {}
    used = activity[activity["role"] == "energy_input"]
    return {str(code): set(group["item"].astype(str)) for code, group in used.groupby("enterprise")}


def key_units(
    engine: Engine, snap: dashboard.Snapshot, store: TelemetryStore
) -> list[dict[str, Any]]:
    """Every open enterprise with its latest annual energy, whether it is a key unit by its
    accounts and by the registry, and its monitoring coverage owed and had."""
    threshold, completeness_owed = key_unit_threshold()
    energy = _annual_energy(snap)
    used = _carriers_used(engine)
    quality: dict[str, float] = {}
    for row in sorted(dashboard.quality(engine, store), key=lambda r: str(r["month"])):
        quality[str(row["enterprise"])] = float(row["completeness"])
    with Session(engine) as session:
        enterprises = session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.code)).all()
        metered: dict[int, set[str]] = {}
        for meter in session.scalars(select(MeterRow).where(MeterRow.removed_on.is_(None))):
            metered.setdefault(meter.enterprise_id, set()).add(meter.item)
        rows = []
        for e in enterprises:
            if e.closed_on is not None:
                continue
            year, gross, estimated = energy.get(e.code, ("", 0.0, False))
            key = gross >= threshold
            owed = sorted(used.get(e.code, set())) if key else []
            has = sorted(metered.get(e.id, set()))
            covered = [c for c in owed if c in has]
            rows.append(
                {
                    "enterprise": e.code,
                    "name_zh": e.name_zh,
                    "name_en": e.name_en or e.name_zh,
                    "sector": e.sector_code,
                    "year": year,
                    "energy_gross_tce": gross if year else None,
                    "estimated": estimated,
                    "key_by_accounts": key,
                    "key_registered": e.key_energy_unit,
                    "carriers_owed": owed,
                    "carriers_metered": has,
                    "coverage": len(covered) / len(owed) if owed else None,
                    "completeness": quality.get(e.code),
                    "completeness_owed": completeness_owed if key else None,
                    "complete_enough": None
                    if not key or e.code not in quality
                    else quality[e.code] >= completeness_owed,
                }
            )
        return rows


def apply_key_unit_flags(
    engine: Engine, snap: dashboard.Snapshot, store: TelemetryStore, actor: str
) -> list[str]:
    """Set each enterprise's registered key-unit flag to what its accounts say, with a history
    entry per change; returns the codes changed."""
    found = {r["enterprise"]: r for r in key_units(engine, snap, store)}
    changed = []
    with Session(engine) as session, session.begin():
        audit = AuditWriter(session)
        for e in session.scalars(select(EnterpriseRow).where(EnterpriseRow.code.in_(found))):
            row = found[e.code]
            if not row["year"] or e.key_energy_unit == row["key_by_accounts"]:
                continue
            before, e.key_energy_unit = e.key_energy_unit, bool(row["key_by_accounts"])
            reason = f"{row['year']}: {row['energy_gross_tce']:.0f} tce/a"
            session.add(
                RegistryChangeRow(
                    entity="enterprise",
                    key=e.code,
                    enterprise=e.code,
                    event="changed",
                    effective_on=date.today(),
                    before={"key_energy_unit": before},
                    after={"key_energy_unit": e.key_energy_unit},
                    reason=reason,
                    actor=actor,
                )
            )
            audit.append(
                actor,
                "registry_changed",
                "enterprise",
                e.code,
                {"key_energy_unit": e.key_energy_unit, "reason": reason},
            )
            changed.append(e.code)
    return changed
