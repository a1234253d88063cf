"""Indicator reports by responsible units, with evidence files stored by content hash."""

from __future__ import annotations

import hashlib
import math
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carbonpeak.errors import Forbidden, InvalidInput
from carbonpeak.messages import message
from carbonpeak.plan import Plan
from carbonpeak.services.audit import AuditWriter
from carbonpeak.storage import IndicatorReportRow, data_directory
from carbonpeak.tracking import DomainError, check_value
from carbonpeak.tracking.indicators import latest_reports, statistic_series
from carbonpeak.units import UnitError, annualised_unit, is_compatible, to_magnitude

__all__ = [
    "STATISTICS",
    "IndicatorReportError",
    "NotResponsibleForIndicator",
    "indicator_reports",
    "report_indicator",
    "reportable_indicators",
    "reported_series",
    "store_evidence",
]

# Statistics that are not plan indicators but that intensities need; the office reports them.
STATISTICS = {
    "gdp_current": "亿元",
    "gdp_constant_2020": "亿元",
    "industrial_value_added_constant": "亿元",
}


class IndicatorReportError(InvalidInput):
    """A report for an unknown indicator, in a wrong unit, or by a unit that does not own it."""


class NotResponsibleForIndicator(Forbidden, IndicatorReportError):
    """The reporting unit does not own the indicator."""


def _owners(plan: Plan, indicator: str) -> set[str]:
    owners: set[str] = set()
    for target in plan.targets:
        if target.indicator == indicator:
            owners.update(o.id for o in plan.responsible_units(target))
    for goal in plan.goals:
        if goal.indicator == indicator:
            owners.update(o.id for o in plan.responsible_units(goal))
    return owners


def reportable_indicators(plan: Plan, unit: str | None = None) -> list[str]:
    """The reported indicators ``unit`` (an organisation name or id) is responsible for; every
    reported indicator when ``unit`` is None (the office)."""
    reported = [i.id for i in plan.indicators if i.value_source.value == "reported"]
    if unit is None:
        return reported
    organisation = plan.organisation(unit).id
    return [i for i in reported if organisation in _owners(plan, i)]


def store_evidence(evidence: Path) -> tuple[str, str]:
    """Copy an evidence file into the data directory under its SHA-256; (name, hash)."""
    digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    store = data_directory() / "evidence"
    store.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(evidence, store / digest)
    return evidence.name, digest


def report_indicator(
    engine: Engine,
    plan: Plan,
    indicator: str,
    year: int,
    value: float,
    unit: str,
    reporting_unit: str,
    actor: str,
    evidence: Path | None = None,
    reason: str | None = None,
    synthetic: bool = False,
    received_at: datetime | None = None,
) -> IndicatorReportRow:
    """Record a reported value. The reporting unit must be responsible for the indicator (the
    office for statistics); the unit must convert to the indicator's; the value must lie in the
    indicator's domain (a share in 0–100, a count a whole number …); evidence is copied to the
    data directory under its SHA-256. ``received_at`` backdates the receipt of synthetic demo
    history only: real reports are received when they are recorded."""
    if received_at is not None and not synthetic:
        raise IndicatorReportError(message("error.indicator_reports.past_receipt"))
    if not math.isfinite(value):
        raise IndicatorReportError(
            message("error.indicator_reports.finite", indicator=indicator, year=year)
        )
    organisation = plan.organisation(reporting_unit)
    if indicator in STATISTICS:
        expected_unit, allowed = (
            STATISTICS[indicator],
            {o.id for o in plan.organisations if "office" in o.roles},
        )
    else:
        try:
            expected_unit = plan.indicator(indicator).unit
        except KeyError as exc:
            raise IndicatorReportError(
                message("error.indicator_reports.unknown", indicator=repr(indicator))
            ) from exc
        allowed = _owners(plan, indicator)
    if organisation.id not in allowed:
        raise NotResponsibleForIndicator(
            message(
                "error.indicator_reports.not_responsible",
                organisation=organisation.name_zh,
                indicator=indicator,
                responsible=", ".join(sorted(allowed)),
            )
        )
    try:
        compatible = is_compatible(annualised_unit(unit, expected_unit), expected_unit)
    except UnitError as exc:
        raise IndicatorReportError(str(exc)) from exc
    if not compatible:
        raise IndicatorReportError(
            message(
                "error.indicator_reports.unit",
                indicator=indicator,
                expected=expected_unit,
                unit=unit,
            )
        )
    if indicator not in STATISTICS:
        try:
            check_value(
                plan.indicator(indicator),
                to_magnitude(value, annualised_unit(unit, expected_unit), expected_unit),
            )
        except DomainError as exc:
            raise IndicatorReportError(str(exc)) from exc
    name, digest = store_evidence(evidence) if evidence is not None else (None, None)
    with Session(engine) as session, session.begin():
        earlier = session.scalars(
            select(IndicatorReportRow).where(
                IndicatorReportRow.indicator == indicator, IndicatorReportRow.year == year
            )
        ).first()
        if earlier is not None and not (reason and reason.strip()):
            raise IndicatorReportError(
                message("error.indicator_reports.correction_reason", indicator=indicator, year=year)
            )
        row = IndicatorReportRow(
            indicator=indicator,
            year=year,
            value=value,
            unit=unit,
            reporting_unit=organisation.id,
            evidence_name=name,
            evidence_sha256=digest,
            reason=reason,
            synthetic=synthetic,
            created_by=actor,
        )
        if received_at is not None:
            row.created_at = received_at
        session.add(row)
        session.flush()
        AuditWriter(session).append(
            actor,
            "report",
            "indicator_report",
            str(row.id),
            {
                "indicator": indicator,
                "year": year,
                "value": value,
                "unit": unit,
                "reporting_unit": organisation.id,
                "evidence_sha256": digest,
                "reason": reason,
            },
        )
        session.expunge(row)
        return row


def reported_series(reports: pd.DataFrame, indicator: str) -> dict[int, float]:
    """One indicator's (or statistic's) values by year from ``indicator_reports``, the latest
    report of each year winning."""
    return statistic_series(latest_reports(reports), indicator)


def indicator_reports(engine: Engine) -> pd.DataFrame:
    """Every report, the latest per indicator and year last."""
    with Session(engine) as session:
        rows = session.scalars(select(IndicatorReportRow).order_by(IndicatorReportRow.id)).all()
        return pd.DataFrame(
            [
                {
                    "indicator": r.indicator,
                    "year": r.year,
                    "value": r.value,
                    "unit": r.unit,
                    "reporting_unit": r.reporting_unit,
                    "evidence_sha256": r.evidence_sha256,
                    "reason": r.reason,
                    "synthetic": r.synthetic,
                    "received_at": r.created_at,
                }
                for r in rows
            ],
            columns=[
                "indicator",
                "year",
                "value",
                "unit",
                "reporting_unit",
                "evidence_sha256",
                "reason",
                "synthetic",
                "received_at",
            ],
        )
