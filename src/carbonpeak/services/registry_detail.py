"""One registered enterprise as the registry shows it: its fields, facilities, meters (open
and closed) and the accounts that sign in for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import NotFound
from carbonpeak.messages import message
from carbonpeak.storage import EnterpriseRow, MeterRow, UserRow

__all__ = ["enterprise_detail"]


def _iso(value: object) -> str | None:
    return None if value is None else str(value)


def enterprise_detail(engine: Engine, code: str) -> dict[str, Any]:
    """The enterprise ``code``; raises :class:`NotFound` for an unknown code."""
    with Session(engine) as session:
        row = session.scalars(select(EnterpriseRow).where(EnterpriseRow.code == code)).one_or_none()
        if row is None:
            raise NotFound(message("error.no_enterprise", code=code))
        meters = session.scalars(
            select(MeterRow).where(MeterRow.enterprise_id == row.id).order_by(MeterRow.meter)
        ).all()
        accounts = session.scalars(
            select(UserRow).where(UserRow.enterprise_code == code).order_by(UserRow.username)
        ).all()
        return {
            "enterprise": {
                "code": row.code,
                "credit_code": row.credit_code,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "sector": row.sector_code,
                "key_energy_unit": row.key_energy_unit,
                "synthetic": row.synthetic,
                "opened_on": _iso(row.opened_on),
                "closed_on": _iso(row.closed_on),
            },
            "facilities": [
                {
                    "code": f.code,
                    "name_zh": f.name_zh,
                    "product": f.product,
                    "capacity": f.capacity_value,
                    "capacity_unit": f.capacity_unit,
                    "sector": f.sector_code,
                    "commissioned_on": _iso(f.commissioned_on),
                    "closed_on": _iso(f.retired_on),
                }
                for f in sorted(row.facilities, key=lambda f: f.code)
            ],
            "meters": [
                {
                    "meter": m.meter,
                    "carrier": m.item,
                    "channel": m.channel,
                    "interval_minutes": m.interval_minutes,
                    "max_interval_value": m.max_interval_value,
                    "calibration_due": _iso(m.calibration_due),
                    "installed_on": _iso(m.installed_on),
                    "closed_on": _iso(m.removed_on),
                }
                for m in meters
            ],
            "accounts": [
                {"username": u.username, "display_name": u.display_name, "active": u.active}
                for u in accounts
            ],
        }
