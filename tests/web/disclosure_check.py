"""The confidential cells of a store, computed from the enterprise-level accounts and the rule's
reference data without the services' disclosure module, and a detector of their values in a
text (JSON, a page, a workbook, a PDF's text): used by test_confidentiality.py."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from carbonpeak.accounting import unit_product_energy
from carbonpeak.factors import load_dataset
from carbonpeak.services.indicators import accepted_accounts
from carbonpeak.services.views import SHOWN_METRICS


@dataclass(frozen=True)
class Secret:
    what: str
    value: float
    in_wan: bool  # kept in t or tce: pages and reports show it in 万 too
    sole: str | None  # the enterprise whose own figure it is, when only one has a part


@dataclass(frozen=True)
class Confidential:
    secrets: tuple[Secret, ...]
    cells: frozenset[tuple[str, str, str, str]]  # (level, key, period, metric)
    indicators: frozenset[tuple[str, int]]


def _rule() -> tuple[int, float]:
    dataset = load_dataset("disclosure_control")
    minimum = dataset.record("min_contributors").value.value  # type: ignore[union-attr]
    share = dataset.record("dominance_share").value.value  # type: ignore[union-attr]
    return int(minimum), share / 100


def _is_confidential(parts: dict[str, float], minimum: int, share: float) -> bool:
    sizes = [abs(v) for v in parts.values()]
    return len(parts) < minimum or (sum(sizes) > 0 and max(sizes) > share * sum(sizes))


def _sole(parts: dict[str, float]) -> str | None:
    nonzero = [k for k, v in parts.items() if v != 0]
    return nonzero[0] if len(nonzero) == 1 else None


def confidential_cells(engine: Engine) -> Confidential:
    """The confidential cells and indicator values of the store, found here from the
    enterprise-level accounts and the rule's reference data (not the services' module)."""
    accounts = accepted_accounts(engine)
    assert accounts is not None
    minimum, share = _rule()
    secrets: list[Secret] = []
    cells: set[tuple[str, str, str, str]] = set()
    extra = ("co2_utilised_t", "non_fossil_tce", "electricity_supplied_mwh")
    for frequency, column in (("year", "year"), ("month", "period")):
        totals = accounts.totals("enterprise", frequency)
        totals = totals.assign(
            period=totals[column].astype(str),
            division=totals["sector"].astype(str).str[:2],
            sector=totals["sector"].astype(str),
            enterprise=totals["enterprise"].astype(str),
            base="",
        )
        for level in ("base", "division", "sector"):
            for (key, period), group in totals.groupby([level, "period"]):
                for metric in (*SHOWN_METRICS, *(extra if level == "base" else ())):
                    parts = group.groupby("enterprise")[metric].sum().fillna(0).to_dict()
                    if _is_confidential(parts, minimum, share):
                        cells.add((level, str(key), str(period), metric))
                        secrets.append(
                            Secret(
                                f"{level} {key} {period} {metric}",
                                float(sum(parts.values())),
                                True,
                                _sole(parts),
                            )
                        )
    indicators: set[tuple[str, int]] = set()
    for indicator, division in (("nonferrous_co2_emissions", "32"), ("cement_co2_emissions", "30")):
        indicators |= {
            (indicator, int(p))
            for lv, k, p, m in cells
            if (lv, k, m) == ("division", division, "co2_net_t") and len(p) == 4
        }
    base = accounts.totals("base", "year")
    for indicator, metric, column in (
        ("co2_utilisation", "co2_utilised_t", "co2_utilised_t"),
        ("non_fossil_share", "non_fossil_tce", "non_fossil_share_pct"),
        ("supply_coal_rate", "electricity_supplied_mwh", "supply_coal_rate_gce_per_kwh"),
    ):
        for row in base.to_dict("records"):
            if ("base", "", str(row["year"]), metric) in cells:
                indicators.add((indicator, int(row["year"])))
                value = float(row[column]) / (1e4 if metric == "co2_utilised_t" else 1)
                secrets.append(Secret(f"{indicator} {row['year']}", value, False, None))
    products = unit_product_energy(accounts)
    products = products[products["levels"].astype(str).str.startswith("ndrc_benchmark")]
    for (product, year), group in products.groupby(["product", "year"]):
        parts = group.groupby("enterprise")["output_t"].sum().to_dict()
        if _is_confidential(parts, minimum, share):
            weighted = (group["unit_value"] * group["output_t"]).sum() / group["output_t"].sum()
            indicators.add((f"{product}_unit_energy", int(year)))
            secrets.append(Secret(f"{product} unit energy {year}", float(weighted), False, None))
    return Confidential(tuple(secrets), frozenset(cells), frozenset(indicators))


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


class Numbers:
    """The numbers in a text that carry at least 5 significant digits, each with the precision
    it was written to."""

    def __init__(self, text: str) -> None:
        found: list[tuple[float, float]] = []
        for token in NUMBER.findall(text):
            plain = token.replace(",", "")
            mantissa = re.split(r"[eE]", plain)[0]
            digits = mantissa.lstrip("-").replace(".", "").lstrip("0")
            if len(digits) < 5:
                continue
            value = float(plain)
            if "e" in plain.lower() or len(digits) >= 12:
                tolerance = 1e-9 * abs(value)
            else:
                decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
                tolerance = 0.5 * 10**-decimals + 1e-12 * abs(value)
            found.append((value, tolerance))
        found.sort()
        self.values = [v for v, _ in found]
        self.tolerances = [t for _, t in found]

    def has(self, target: float) -> bool:
        start = bisect.bisect_left(self.values, target - 0.51 - 1e-9 * abs(target))
        end = bisect.bisect_right(self.values, target + 0.51 + 1e-9 * abs(target))
        return any(abs(self.values[i] - target) <= self.tolerances[i] for i in range(start, end))


def _forms(secret: Secret) -> Iterator[float]:
    yield secret.value
    if secret.in_wan:
        yield secret.value / 1e4


def leaked(text: str, confidential: Confidential, own: str | None = None) -> list[str]:
    """The confidential cells whose value appears in ``text`` (an enterprise's own figure is
    not a leak to that enterprise)."""
    numbers = Numbers(text)
    return [
        s.what
        for s in confidential.secrets
        if s.sole is None or s.sole != own
        if abs(s.value) > 0 and any(numbers.has(form) for form in _forms(s))
    ]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def check_marks(body: Any, office: bool) -> int:
    """Every marked row: null in its confidential fields for all but the office, which keeps
    the values and is told the reasons. Returns how many rows are marked."""
    marked = 0
    for row in _walk(body):
        if not row.get("confidential"):
            continue
        marked += 1
        if office:
            assert row.get("confidential_reasons"), row
            continue
        assert "confidential_reasons" not in row, row
        for metric in row.get("confidential_metrics", ()):
            assert row[metric] is None, (metric, row)
        for year in row.get("confidential_years", ()):
            assert year not in row.get("series", {}), (year, row)
    return marked
