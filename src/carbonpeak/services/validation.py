"""Everything a report must pass before it is stored, and again before it is accepted: the
activity checks, the registry (enterprise, sector, facility), and the accounting itself
(coefficients available, reconciliation), so that nothing that can be accepted can break an
account later."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbonpeak.accounting import account, check, parse_activity
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.storage import EnterpriseRow, FacilityRow

__all__ = ["check_accountable", "check_registry", "line_numbers"]

_ROW = re.compile(r"^row (\d+)")


def line_numbers(raw: pd.DataFrame) -> list[int]:
    """Each row's line in its file (the header is line 1): Excel's row numbers for a workbook,
    blank rows included; otherwise the position."""
    lines = raw.attrs.get("rows")
    if lines is not None and len(lines) == len(raw):
        return [int(line) for line in lines]
    return list(range(2, len(raw) + 2))


def _renumbered(problems: list[Problem], lines: list[int]) -> list[Problem]:
    # The engine counts rows by position; the file's reader may have skipped blank rows.
    renumbered = []
    for problem in problems:
        match = _ROW.match(problem.location)
        if match and 2 <= int(match[1]) < len(lines) + 2:
            location = f"row {lines[int(match[1]) - 2]}{problem.location[match.end() :]}"
            problem = Problem(location, problem.problem, problem.expected, problem.found)
        renumbered.append(problem)
    return renumbered


def check_accountable(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """Parse and account the rows exactly as accepted reports are accounted, and reconcile them
    (``accounting.check``); raise :class:`DataFileError` for any problem. Returns the parsed
    table."""
    lines = line_numbers(raw)
    parsed = parse_activity(raw, source)
    try:
        accounts = account(parsed)
    except DataFileError as exc:
        raise DataFileError(exc.file, _renumbered(exc.problems, lines)) from exc
    problems = check(accounts)
    if problems:
        raise DataFileError(source, problems[:50])
    return parsed


def _sector_fits(stated: str, registered: str) -> bool:
    # A 2-digit division stated for a registered 4-digit class (or the reverse) is no conflict.
    return not stated or stated.startswith(registered) or registered.startswith(stated)


def check_registry(
    session: Session, cells: list[dict[str, str]], lines: list[int]
) -> list[Problem]:
    """Rows that contradict the registry: a sector other than the enterprise's registered one,
    a facility the enterprise has not registered (when it has registered any)."""
    codes = {row.get("enterprise", "") for row in cells}
    registered: dict[str, str] = {
        str(code): str(sector)
        for code, sector in session.execute(
            select(EnterpriseRow.code, EnterpriseRow.sector_code).where(
                EnterpriseRow.code.in_(codes)
            )
        )
    }
    facilities: dict[str, set[str]] = {}
    for code, facility in session.execute(
        select(EnterpriseRow.code, FacilityRow.code)
        .join(FacilityRow, FacilityRow.enterprise_id == EnterpriseRow.id)
        .where(EnterpriseRow.code.in_(codes))
    ):
        facilities.setdefault(code, set()).add(facility)
    problems: list[Problem] = []
    for line, row in zip(lines, cells, strict=True):
        enterprise = row.get("enterprise", "")
        if enterprise not in registered:
            continue  # reported as an unknown enterprise elsewhere
        sector = row.get("sector", "")
        if not _sector_fits(sector, registered[enterprise]):
            problems.append(
                Problem(
                    f"row {line}, column sector",
                    "sector contradicts the registry",
                    expected=f"{registered[enterprise]} (registered for {enterprise})",
                    found=sector,
                )
            )
        facility = row.get("facility", "")
        known = facilities.get(enterprise)
        if facility and known and facility not in known:
            problems.append(
                Problem(
                    f"row {line}, column facility",
                    "unknown facility",
                    expected=f"a facility registered for {enterprise}: {', '.join(sorted(known))}",
                    found=facility,
                )
            )
    return problems
