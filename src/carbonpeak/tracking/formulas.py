"""How each accounted plan indicator is computed: a table of formulas as data
(``data/methods/indicator-formulas.yaml``), read by the indicator code, the lineage page and the
docs, the way PyPSA's component tables feed its code and documentation."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

__all__ = ["FORMULA_FILE", "Formula", "FormulaTable", "formulas"]

FORMULA_FILE = "data/methods/indicator-formulas.yaml"

FormulaKind = Literal[
    "base_metric",  # a metric of the base total (regional method)
    "division_metric",  # a metric summed over the enterprises of one GB/T 4754 division
    "intensity",  # a base (or enterprise-sum) metric over a statistic the office reports
    "benchmark_share",  # capacity-weighted share at the benchmark level of some products
    "product_unit_energy",  # output-weighted unit-product energy of one product
    "final_electricity_share",  # electricity over energy of the units outside given divisions
    "not_computed",  # needs data the platform does not collect yet
]


class Formula(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FormulaKind
    unit: str
    zh: str
    en: str
    metric: str | None = None
    scale: float = 1.0
    level: Literal["base", "enterprise_sum"] = "base"
    division: str | None = None
    statistic: str | None = None
    statistic_scale: float = 1.0
    products: list[str] | Literal["all"] | None = None
    product: str | None = None
    exclude_divisions: list[str] | None = None
    # The additive metric whose enterprise contributions make the value (for disclosure
    # control), where it is not ``metric`` itself (a ratio's numerator, say).
    contributors: str | None = None

    def confidentiality_cell(self) -> tuple[str, ...] | None:
        """The aggregate cell whose confidentiality the value shares: ("base", metric),
        ("division", code, metric) or ("product", product, …) ("product" alone: every
        benchmarked product); None where nothing is computed."""
        metric = self.contributors or self.metric
        if self.kind in ("base_metric", "intensity", "final_electricity_share") and metric:
            return ("base", metric)
        if self.kind == "division_metric" and metric and self.division:
            return ("division", self.division, metric)
        if self.kind == "benchmark_share":
            return ("product",) if self.products == "all" else ("product", *(self.products or []))
        if self.kind == "product_unit_energy" and self.product:
            return ("product", self.product)
        return None


class FormulaTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["carbonpeak-indicator-formulas/1"]
    edition: str
    formulas: dict[str, Formula]

    @property
    def version(self) -> str:
        return f"indicator-formulas@{self.edition}"


@cache
def formulas() -> FormulaTable:
    """The packaged formula table."""
    text = resources.files("carbonpeak").joinpath(FORMULA_FILE).read_text(encoding="utf-8")
    return FormulaTable.model_validate(yaml.safe_load(text))
