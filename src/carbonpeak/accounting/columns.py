"""The activity table's vocabulary: its columns, roles, purposes and sector-method parameters.

Kept apart from the reader (``activity.py``) so that the Excel template and the engine can name
the columns without importing the reader, which reads templates (no import circle).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["OPTIONAL_COLUMNS", "PARAMETERS", "REQUIRED_COLUMNS", "Purpose", "Role"]


class Role(StrEnum):
    """What a row records."""

    energy_input = "energy_input"  # energy consumed, by purpose
    energy_output = "energy_output"  # energy supplied outside the boundary (deducted)
    product_output = "product_output"  # products leaving the boundary (carbon out, benchmarks)
    carbon_output = "carbon_output"  # other carbon-bearing outputs: tail gas, slag, ash
    carbonate_input = "carbonate_input"  # carbonates decomposed in the process
    co2_captured = "co2_captured"  # CO2 captured and utilised or stored
    electricity_supplied = "electricity_supplied"  # power supplied to the grid (供电量)
    reported_energy_total = "reported_energy_total"  # the enterprise's own total, to reconcile


class Purpose(StrEnum):
    fuel = "fuel"  # combusted
    feedstock = "feedstock"  # 原料用能: excluded from energy control (发改环资〔2022〕803号)
    conversion = "conversion"  # 加工转换: coal coked; counted, carbon balanced, not excluded
    utilised = "utilised"  # captured CO2 used (CCU)
    stored = "stored"  # captured CO2 stored (CCS)


REQUIRED_COLUMNS = ("enterprise", "period", "item", "role", "quantity", "unit")
OPTIONAL_COLUMNS = (
    "facility",
    "sector",
    "purpose",
    "ncv",
    "ncv_unit",
    "carbon_content",
    "carbon_content_unit",
    "oxidation_rate",
    "green_certificate",
    "parameters",
)
# Sector-method parameters, given as "key=value;key=value" in the parameters column.
# Process parameters a row may carry (``key=value;…``); their meanings are in the message
# catalogue (``template_parameter.<key>``).
PARAMETERS = (
    "purity",
    "cao",
    "mgo",
    "cao_nc",
    "mgo_nc",
    "anode_consumption",
    "anode_sulfur",
    "anode_ash",
    "heat_ratio",
)
