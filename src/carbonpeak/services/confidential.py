"""Which aggregates of a snapshot are confidential (``carbonpeak.reports.disclosure``), computed
once per data version from the enterprise-level accounts: every division, sector and base cell
of every metric the dashboard shows, per year and per month, and every accounted indicator
value. ``services.scoped`` decides from this what each role sees."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from carbonpeak.accounting import unit_product_energy
from carbonpeak.reports.disclosure import Reason, Thresholds, judge, protect
from carbonpeak.services.snapshots import Snapshot, memoized
from carbonpeak.services.views import SHOWN_METRICS
from carbonpeak.services.warnings import BUDGET_METRICS
from carbonpeak.tracking.formulas import formulas

__all__ = [
    "BUDGET_NUMBERS",
    "IDENTITIES",
    "INDICATOR_CELLS",
    "Cell",
    "Disclosure",
    "budget_reasons",
    "disclosure",
    "intensity_reasons",
]

# (level, key, period, metric): level "base" (key ""), "division" or "sector"; period YYYY or
# YYYY-MM.
Cell = tuple[str, str, str, str]
LEVELS = ("base", "division", "sector")
# The accounting engine's identities among the shown metrics: one shown, the rest hidden, would
# give a hidden one back (gross = net-of-feedstock + feedstock; net CO2 = combustion + process +
# indirect − captured).
IDENTITIES = (
    ("energy_gross_tce", "energy_consumption_tce", "feedstock_energy_tce"),
    ("co2_net_t", "co2_combustion_t", "co2_process_t", "co2_indirect_t", "co2_captured_t"),
)
# Accounted indicators and the cell whose confidentiality they share, from the formula table
# (tracking/formulas.py): ("base", metric), ("division", code, metric), or ("product", …) for
# benchmark shares and unit energy (contributors weighted by output; no product named: every
# benchmarked product). An accounted indicator without a cell is hidden (unclassified).
INDICATOR_CELLS: dict[str, tuple[str, ...]] = {
    indicator: cell
    for indicator, formula in formulas().formulas.items()
    if (cell := formula.confidentiality_cell()) is not None
}


@dataclass(frozen=True)
class Disclosure:
    """The confidential cells and indicator values of one snapshot, with the reasons."""

    thresholds: Thresholds
    cells: dict[Cell, Reason]
    indicators: dict[tuple[str, int], Reason]

    def row(self, level: str, key: str, period: str) -> dict[str, Reason]:
        """Metric → reason for the confidential metrics of one row."""
        return {
            metric: reason
            for metric in SHOWN_METRICS
            if (reason := self.cells.get((level, key, period, metric))) is not None
        }


def disclosure(snap: Snapshot) -> Disclosure:
    """The snapshot's confidential cells, computed once per data version."""
    return memoized(snap, ("disclosure",), lambda: _compute(snap))


def _enterprise_frame(snap: Snapshot, frequency: str, extra: tuple[str, ...]) -> pd.DataFrame:
    assert snap.accounts is not None
    totals = snap.accounts.totals("enterprise", frequency)  # type: ignore[arg-type]
    column = "year" if frequency == "year" else "period"
    frame = pd.DataFrame(
        {
            "enterprise": totals["enterprise"].astype(str),
            "sector": totals["sector"].astype(str),
            "period": totals[column].astype(str),
        }
    )
    for metric in (*SHOWN_METRICS, *extra):
        frame[metric] = totals[metric].astype(float).fillna(0.0).to_numpy()
    frame["division"] = frame["sector"].str[:2]
    frame["base"] = ""
    return frame


# Figures people read first: complementary suppression hides others before these.
HEADLINE = frozenset({"energy_consumption_tce", "co2_net_t"})


def _rank(cell: Cell) -> int:
    """Information lost by hiding a cell: the base above a division, a year above a month, a
    headline metric above its components."""
    level, _key, period, metric = cell
    return 4 * (level == "base") + 2 * (len(period) == 4) + (metric in HEADLINE)


def _relations(values: dict[Cell, float]) -> Iterator[tuple[Cell, ...]]:
    """Cells tied by one equation: base = Σ divisions, division = Σ its sectors, year = Σ its
    months, and the identities within a row."""
    rows = {(level, key, period) for level, key, period, _ in values}
    # (kind of equation, the total's row) → the rows of its parts
    children: dict[tuple[str, tuple[str, str, str]], list[tuple[str, str, str]]] = {}
    for level, key, period in rows:
        if level == "division":
            children.setdefault(("level", ("base", "", period)), []).append((level, key, period))
        elif level == "sector":
            parent = ("division", key[:2], period)
            children.setdefault(("level", parent), []).append((level, key, period))
        if len(period) == 7:
            parent = (level, key, period[:4])
            children.setdefault(("months", parent), []).append((level, key, period))
    for (_kind, parent), parts in children.items():
        if parent not in rows:
            continue
        for metric in SHOWN_METRICS:
            yield ((*parent, metric), *[(*part, metric) for part in sorted(parts)])
    for row in rows:
        for identity in IDENTITIES:
            yield tuple((*row, metric) for metric in identity)


def _compute(snap: Snapshot) -> Disclosure:
    thresholds = Thresholds.load()
    if snap.accounts is None:
        return Disclosure(thresholds, {}, {})
    # Metrics behind base-wide indicators that the tables do not show.
    behind = {spec[1] for spec in INDICATOR_CELLS.values() if spec[0] == "base"}
    extra = tuple(sorted(behind - set(SHOWN_METRICS)))
    frame = pd.concat(
        [_enterprise_frame(snap, "year", extra), _enterprise_frame(snap, "month", extra)]
    )
    metrics = list(SHOWN_METRICS)
    values: dict[Cell, float] = {}
    primary: dict[Cell, Reason] = {}
    base_other: dict[tuple[str, str], Reason | None] = {}
    for level in LEVELS:
        summed = frame.groupby([level, "period", "enterprise"], sort=True)[
            [*metrics, *(extra if level == "base" else ())]
        ].sum()
        columns = list(summed.columns)
        index = summed.index
        groups = list(zip(index.get_level_values(0), index.get_level_values(1), strict=True))
        enterprises = summed.index.get_level_values(2).tolist()
        block = summed.to_numpy()
        # Rows are sorted by (key, period): each group is one run of them.
        bounds = [0, *(i for i in range(1, len(groups)) if groups[i] != groups[i - 1])]
        for start, end in zip(bounds, [*bounds[1:], len(groups)], strict=True):
            key, period = groups[start]
            names = enterprises[start:end]
            for position, metric in enumerate(columns):
                column = block[start:end, position]
                reason = judge(dict(zip(names, column, strict=True)), thresholds)
                if metric in extra:
                    base_other[(str(period), metric)] = reason
                    continue
                cell = (level, str(key), str(period), metric)
                values[cell] = float(column.sum())
                if reason is not None:
                    primary[cell] = reason
    cells = protect(values, primary, list(_relations(values)), _rank)
    return Disclosure(
        thresholds, cells, _indicators(snap, thresholds, cells, set(values), base_other)
    )


def _indicators(
    snap: Snapshot,
    thresholds: Thresholds,
    cells: dict[Cell, Reason],
    shown: set[Cell],
    base_other: dict[tuple[str, str], Reason | None],
) -> dict[tuple[str, int], Reason]:
    assert snap.accounts is not None
    products = unit_product_energy(snap.accounts)
    if not products.empty:
        products = products[products["levels"].astype(str).str.startswith("ndrc_benchmark")]
    found: dict[tuple[str, int], Reason] = {}
    for value in snap.values:
        if value.period is not None or not value.source.startswith("accounted"):
            continue  # reported by a unit: not an aggregate of enterprises' reports
        spec = INDICATOR_CELLS.get(value.indicator)
        year = str(value.year)
        reason: Reason | None
        if spec is None:
            reason = Reason.unclassified
        elif spec[0] == "base":
            metric = spec[1]
            reason = (
                cells.get(("base", "", year, metric))
                if metric in SHOWN_METRICS
                else base_other.get((year, metric), Reason.unclassified)
            )
        elif spec[0] == "division":
            cell = ("division", spec[1], year, spec[2])
            reason = cells.get(cell) if cell in shown else Reason.unclassified
        else:
            rows = products[products["year"] == value.year] if not products.empty else products
            if len(spec) > 1 and not rows.empty:
                rows = rows[rows["product"].isin(spec[1:])]
            weights = rows.groupby(rows["enterprise"].astype(str))["output_t"].sum()
            parts = {str(k): float(v) for k, v in weights.items()}
            reason = judge(parts, thresholds) if len(rows) else Reason.unclassified
        if reason is not None:
            found[(value.indicator, value.year)] = reason
    return found


def intensity_reasons(snap: Snapshot, year: int) -> dict[str, Reason]:
    """The confidential figures of ``dashboard.intensities``'s row for ``year``: an intensity of
    a confidential year, and every change against a confidential base year (it gives the base
    year's value back)."""
    hidden = disclosure(snap).indicators
    found: dict[str, Reason] = {}
    for name in ("energy_intensity_gdp", "co2_intensity_gdp"):
        for at, tails in (
            (year, ("", "_vs_base_pct")),
            (snap.plan.plan.base_year, ("_vs_base_pct",)),
        ):
            reason = hidden.get((name, int(at)))
            if reason is not None:
                found.update({f"{name}{tail}": reason for tail in tails})
    return found


# Numbers of a budget forecast that give back the use so far.
BUDGET_NUMBERS = ("used", "used_share", "forecast", "forecast_share")


def budget_reasons(snap: Snapshot, row: dict[str, object]) -> dict[str, Reason]:
    """The confidential numbers of a budget forecast of the base (``budget_warnings``'s row):
    its use is the base's total, which dominance can make confidential. An enterprise's budget
    is not an aggregate: who sees it is ``services.scoped``'s business."""
    if row["scope"] != "base":
        return {}
    metric = BUDGET_METRICS[str(row["kind"])][0]
    reason = disclosure(snap).cells.get(("base", "", str(row["year"]), metric))
    return dict.fromkeys(BUDGET_NUMBERS, reason) if reason is not None else {}
