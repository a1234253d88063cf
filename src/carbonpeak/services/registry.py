"""The enterprise and facility registry."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.messages import has_text, text
from carbonpeak.services.audit import AuditWriter
from carbonpeak.storage import EnterpriseRow, FacilityRow

__all__ = ["enterprise_ids", "enterprises", "register_enterprises"]


def enterprise_ids(session: Session) -> dict[str, int]:
    """Registered enterprise codes and their row ids."""
    rows = session.execute(select(EnterpriseRow.code, EnterpriseRow.id))
    return {str(code): int(id_) for code, id_ in rows}


def _facility_name(product: str, code: str) -> str:
    """A facility the base table names by code only: its product's plant (电解铝装置), in Chinese
    as the registry keeps names; its code where the product has no name."""
    keys = [f"{kind}.{product}" for kind in ("product", "fuel", "material")]
    key = next((k for k in keys if has_text(k)), None)
    return text("registry.facility_of", "zh", product=text(key, "zh")) if key else code


def register_enterprises(
    engine: Engine, registry: pd.DataFrame, facilities: pd.DataFrame, actor: str
) -> int:
    """Add enterprises (columns id, credit_code, name_zh, name_en, sector, key_energy_unit,
    synthetic) and their facilities; existing codes are left as they are. Returns how many were
    added."""
    with Session(engine) as session, session.begin():
        existing = set(session.scalars(select(EnterpriseRow.code)).all())
        audit = AuditWriter(session)
        added = 0
        by_enterprise = dict(list(facilities.groupby("enterprise")))
        for row in registry.to_dict("records"):
            code = str(row["id"])
            if code in existing:
                continue
            enterprise = EnterpriseRow(
                code=code,
                credit_code=str(row["credit_code"]),
                name_zh=str(row["name_zh"]),
                name_en=str(row["name_en"]),
                sector_code=str(row["sector"]),
                key_energy_unit=bool(row["key_energy_unit"]),
                synthetic=bool(row["synthetic"]),
            )
            for facility in by_enterprise.get(code, pd.DataFrame()).to_dict("records"):
                year, month = (int(x) for x in str(facility["commissioned"]).split("-"))
                enterprise.facilities.append(
                    FacilityRow(
                        code=str(facility["facility"]),
                        name_zh=_facility_name(str(facility["product"]), str(facility["facility"])),
                        product=str(facility["product"]),
                        capacity_value=float(facility["capacity"]),
                        capacity_unit=str(facility["capacity_unit"]),
                        commissioned_on=date(year, month, 1),
                    )
                )
            session.add(enterprise)
            session.flush()
            audit.append(
                actor,
                "register",
                "enterprise",
                code,
                {
                    "name_zh": enterprise.name_zh,
                    "sector": enterprise.sector_code,
                    "synthetic": enterprise.synthetic,
                    "facilities": len(enterprise.facilities),
                },
            )
            added += 1
        return added


def enterprises(engine: Engine) -> pd.DataFrame:
    """The registry as a table."""
    with Session(engine) as session:
        rows = session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.code)).all()
        return pd.DataFrame(
            [
                {
                    "code": r.code,
                    "credit_code": r.credit_code,
                    "name_zh": r.name_zh,
                    "name_en": r.name_en,
                    "sector": r.sector_code,
                    "key_energy_unit": r.key_energy_unit,
                    "synthetic": r.synthetic,
                    "facilities": len(r.facilities),
                }
                for r in rows
            ]
        )


def facility_capacities(engine: Engine) -> pd.DataFrame:
    """Every registered facility's capacity: enterprise, facility, product, capacity, unit."""
    with Session(engine) as session:
        rows = session.execute(
            select(
                EnterpriseRow.code,
                FacilityRow.code,
                FacilityRow.product,
                FacilityRow.capacity_value,
                FacilityRow.capacity_unit,
            ).join(FacilityRow, FacilityRow.enterprise_id == EnterpriseRow.id)
        ).all()
    return pd.DataFrame(
        [tuple(r) for r in rows],
        columns=["enterprise", "facility", "product", "capacity", "capacity_unit"],
    )
