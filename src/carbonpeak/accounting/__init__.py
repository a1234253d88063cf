"""Energy (tce) and CO2 accounting by China's official methods, from a long activity table.

>>> import pandas as pd
>>> rows = pd.DataFrame({"enterprise": ["E1"], "period": ["2024-03"], "item": ["natural_gas"],
...                      "role": ["energy_input"], "quantity": ["10"], "unit": ["万Nm3"]})
>>> result = account(parse_activity(rows), "ningxia")
>>> totals = result.totals("enterprise")
>>> round(float(totals["energy_gross_tce"].iloc[0]), 3)  # 10 万Nm3 × 1.2143 kgce/Nm3
121.43
>>> round(float(totals["co2_total_t"].iloc[0]), 2)  # 10 × 389.31 × 0.0153 × 0.99 × 44/12
216.22
"""

from carbonpeak.accounting.activity import (
    OPTIONAL_COLUMNS,
    PARAMETERS,
    REQUIRED_COLUMNS,
    Purpose,
    Role,
    parse_activity,
    read_activity,
    read_table,
)
from carbonpeak.accounting.benchmark import benchmark_capacity_share, unit_product_energy
from carbonpeak.accounting.boundary import BOUNDARY_METRICS, ENTERPRISE_SUM_NOTE
from carbonpeak.accounting.catalogue import (
    Category,
    FactorSet,
    FactorValue,
    Item,
    factor_set,
    factor_set_ids,
    items,
)
from carbonpeak.accounting.checks import check
from carbonpeak.accounting.engine import Accounts, account
from carbonpeak.accounting.lineage import lineage
from carbonpeak.accounting.metrics import ADDITIVE_METRICS, METHODS, METRICS
from carbonpeak.accounting.restate import (
    COMPARED,
    Restatement,
    activity_fingerprint,
    compare_results,
    restate,
)

__all__ = [
    "ADDITIVE_METRICS",
    "BOUNDARY_METRICS",
    "COMPARED",
    "ENTERPRISE_SUM_NOTE",
    "METHODS",
    "METRICS",
    "OPTIONAL_COLUMNS",
    "PARAMETERS",
    "REQUIRED_COLUMNS",
    "Accounts",
    "Category",
    "FactorSet",
    "FactorValue",
    "Item",
    "Purpose",
    "Restatement",
    "Role",
    "account",
    "activity_fingerprint",
    "benchmark_capacity_share",
    "check",
    "compare_results",
    "factor_set",
    "factor_set_ids",
    "items",
    "lineage",
    "parse_activity",
    "read_activity",
    "read_table",
    "restate",
    "unit_product_energy",
]
