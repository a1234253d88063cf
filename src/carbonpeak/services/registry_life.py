"""The life of registered enterprises, facilities and meters: opened, changed, closed. Each step
is checked field by field (services/registry_fields.py), written with its before and after to
``registry_changes`` and to the audit log in one transaction; nothing is deleted, a closed
entry keeps its history and its past reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.errors import InvalidInput, NotFound
from carbonpeak.messages import message
from carbonpeak.services.audit import AuditWriter
from carbonpeak.services.registry_fields import check_record
from carbonpeak.storage import EnterpriseRow, FacilityRow, MeterRow, RegistryChangeRow

__all__ = [
    "RegistryError",
    "change",
    "close",
    "history",
    "open_entry",
    "open_in_session",
]

Row = EnterpriseRow | FacilityRow | MeterRow


class RegistryError(InvalidInput):
    """A registry step the registry does not allow (closing twice, changing a closed entry)."""


class UnknownEntry(NotFound, RegistryError):
    """No such enterprise, facility or meter."""


def _key(entity: str, values: dict[str, Any]) -> str:
    if entity == "enterprise":
        return str(values["code"])
    if entity == "facility":
        return f"{values['enterprise']}/{values['code']}"
    return str(values["meter"])


def _enterprise(session: Session, code: str) -> EnterpriseRow | None:
    return session.scalars(select(EnterpriseRow).where(EnterpriseRow.code == code)).one_or_none()


def _find(session: Session, entity: str, key: str) -> tuple[Row, str]:
    """The row and its enterprise's code."""
    if entity == "enterprise":
        row = _enterprise(session, key)
        if row is None:
            raise UnknownEntry(message("error.registry_life.no_enterprise", key=repr(key)))
        return row, row.code
    if entity == "facility":
        code, _, facility = key.partition("/")
        owner = _enterprise(session, code)
        found = next((f for f in owner.facilities if f.code == facility), None) if owner else None
        if found is None:
            raise UnknownEntry(message("error.registry_life.no_facility", key=repr(key)))
        return found, code
    meter = session.get(MeterRow, key)
    if meter is None:
        raise UnknownEntry(message("error.registry_life.no_meter", key=repr(key)))
    owner_code = session.scalar(
        select(EnterpriseRow.code).where(EnterpriseRow.id == meter.enterprise_id)
    )
    return meter, str(owner_code)


def _state(entity: str, row: Row) -> dict[str, Any]:
    """The registered fields of a row, as JSON values."""
    if isinstance(row, EnterpriseRow):
        fields: dict[str, Any] = {
            "code": row.code,
            "credit_code": row.credit_code,
            "name_zh": row.name_zh,
            "name_en": row.name_en,
            "sector": row.sector_code,
            "opened_on": row.opened_on,
            "closed_on": row.closed_on,
        }
    elif isinstance(row, FacilityRow):
        fields = {
            "code": row.code,
            "name_zh": row.name_zh,
            "product": row.product,
            "capacity": row.capacity_value,
            "capacity_unit": row.capacity_unit,
            "sector": row.sector_code,
            "commissioned_on": row.commissioned_on,
            "closed_on": row.retired_on,
        }
    else:
        fields = {
            "meter": row.meter,
            "carrier": row.item,
            "channel": row.channel,
            "interval_minutes": row.interval_minutes,
            "max_interval_value": row.max_interval_value,
            "calibration_due": row.calibration_due,
            "installed_on": row.installed_on,
            "closed_on": row.removed_on,
        }
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}


# Field of the check → attribute of the row, where they differ.
_ATTRIBUTES = {
    "enterprise": {"sector": "sector_code"},
    "facility": {"capacity": "capacity_value", "sector": "sector_code"},
    "meter": {"carrier": "item"},
}


def _apply(entity: str, row: Row, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key in ("code", "meter", "enterprise"):
            continue  # identifiers never change: a new code is a new entry
        setattr(row, _ATTRIBUTES[entity].get(key, key), value)


def _record(
    session: Session,
    entity: str,
    key: str,
    enterprise: str,
    event: str,
    effective_on: date,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: str,
    reason: str | None,
) -> None:
    session.add(
        RegistryChangeRow(
            entity=entity,
            key=key,
            enterprise=enterprise,
            event=event,
            effective_on=effective_on,
            before=before,
            after=after,
            reason=reason,
            actor=actor,
        )
    )
    AuditWriter(session).append(
        actor,
        f"registry_{event}",
        entity,
        key,
        {"before": before, "after": after, "reason": reason, "on": effective_on.isoformat()},
    )


def open_in_session(
    session: Session, entity: str, values: dict[str, Any], actor: str, where: str
) -> list[Problem]:
    """Add one checked record in the caller's transaction; problems with the store (a code
    taken, an unknown or closed enterprise) are returned, and nothing is added then."""
    key = _key(entity, values)
    problems: list[Problem] = []
    today = date.today()
    if entity == "enterprise":
        if _enterprise(session, key) is not None:
            problems.append(
                Problem(f"{where}, field code", "already registered", "a new code", key)
            )
        taken = session.scalar(
            select(EnterpriseRow.code).where(EnterpriseRow.credit_code == values["credit_code"])
        )
        if taken is not None:
            problems.append(
                Problem(
                    f"{where}, field credit_code",
                    "already registered",
                    expected="a code no other enterprise has",
                    found=f"{values['credit_code']} ({taken})",
                )
            )
        if problems:
            return problems
        row: Row = EnterpriseRow(
            code=key,
            credit_code=values["credit_code"],
            name_zh=values["name_zh"],
            name_en=values.get("name_en"),
            sector_code=values["sector"],
            opened_on=values.get("opened_on") or today,
        )
        session.add(row)
        enterprise = key
    else:
        enterprise = str(values["enterprise"])
        owner = _enterprise(session, enterprise)
        if owner is None or owner.closed_on is not None:
            return [
                Problem(
                    f"{where}, field enterprise",
                    "unknown or closed enterprise",
                    expected="a registered, open enterprise",
                    found=enterprise,
                )
            ]
        if entity == "facility":
            if any(f.code == values["code"] for f in owner.facilities):
                return [Problem(f"{where}, field code", "already registered", "a new code", key)]
            row = FacilityRow(code=values["code"])
            _apply(entity, row, {k: v for k, v in values.items() if k != "enterprise"})
            owner.facilities.append(row)
        else:
            if session.get(MeterRow, key) is not None:
                return [Problem(f"{where}, field meter", "already registered", "a new id", key)]
            row = MeterRow(meter=key, enterprise_id=owner.id)
            _apply(entity, row, values)
            session.add(row)
    session.flush()
    effective = (
        values.get("opened_on") or values.get("commissioned_on") or values.get("installed_on")
    )
    _record(session, entity, key, enterprise, "opened", effective or today, {},
            _state(entity, row), actor, None)  # fmt: skip
    return []


def open_entry(engine: Engine, entity: str, record: dict[str, Any], actor: str) -> str:
    """Register one enterprise, facility or meter from a form, the API or the CLI; every
    problem is raised together (:class:`DataFileError`) and nothing is written. Returns its
    key."""
    where = f"{entity} {record.get('meter') or record.get('code') or ''}".strip()
    values, problems = check_record(entity, record, where)
    if problems:
        raise DataFileError(f"{entity} form", problems)
    with Session(engine) as session, session.begin():
        problems = open_in_session(session, entity, values, actor, where)
        if problems:
            raise DataFileError(f"{entity} form", problems)
    return _key(entity, values)


def change(
    engine: Engine,
    entity: str,
    key: str,
    record: dict[str, Any],
    actor: str,
    reason: str | None = None,
    effective_on: date | None = None,
) -> dict[str, Any]:
    """Change some fields of an open entry (a new capacity, a calibrated meter); the fields
    before and after are kept. Returns the entry as it now is."""
    values, problems = check_record(entity, record, f"{entity} {key}", partial=True)
    if problems:
        raise DataFileError(f"{entity} form", problems)
    with Session(engine) as session, session.begin():
        row, enterprise = _find(session, entity, key)
        before = _state(entity, row)
        _refuse_closed(entity, key, before)
        _apply(entity, row, values)
        session.flush()
        after = _state(entity, row)
        changed = {k for k in after if after[k] != before[k]}
        if not changed:
            return after
        _record(
            session,
            entity,
            key,
            enterprise,
            "changed",
            effective_on or date.today(),
            {k: before[k] for k in sorted(changed)},
            {k: after[k] for k in sorted(changed)},
            actor,
            reason,
        )
        return after


def close(
    engine: Engine,
    entity: str,
    key: str,
    closed_on: date,
    actor: str,
    reason: str,
) -> None:
    """Close an entry (an enterprise that stops, a retired facility, a removed meter): it stays
    registered with its history and past reports; it takes no new ones."""
    if not reason.strip():
        raise RegistryError(message("error.registry_life.reason"))
    with Session(engine) as session, session.begin():
        row, enterprise = _find(session, entity, key)
        before = _state(entity, row)
        _refuse_closed(entity, key, before)
        if isinstance(row, EnterpriseRow):
            row.closed_on = closed_on
        elif isinstance(row, FacilityRow):
            row.retired_on = closed_on
        else:
            row.removed_on = closed_on
        session.flush()
        _record(
            session,
            entity,
            key,
            enterprise,
            "closed",
            closed_on,
            {"closed_on": None},
            {"closed_on": closed_on.isoformat()},
            actor,
            reason.strip(),
        )


def history(engine: Engine, enterprise: str | None = None) -> list[dict[str, Any]]:
    """Every step in the registry's life (one enterprise's, with its facilities and meters),
    oldest first."""
    with Session(engine) as session:
        query = select(RegistryChangeRow).order_by(RegistryChangeRow.id)
        if enterprise is not None:
            query = query.where(RegistryChangeRow.enterprise == enterprise)
        return [
            {
                "id": r.id,
                "entity": r.entity,
                "key": r.key,
                "enterprise": r.enterprise,
                "event": r.event,
                "effective_on": r.effective_on.isoformat(),
                "before": dict(r.before),
                "after": dict(r.after),
                "reason": r.reason,
                "actor": r.actor,
            }
            for r in session.scalars(query)
        ]


def _refuse_closed(entity: str, key: str, state: dict[str, Any]) -> None:
    """A closed entry takes no change and no second closing."""
    if state.get("closed_on"):
        raise RegistryError(
            message(
                "error.registry_life.closed", entity=entity, key=key, closed_on=state["closed_on"]
            )
        )
