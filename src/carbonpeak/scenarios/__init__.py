"""Scenarios: projecting the base's energy and CO2 from the accounted base year, with Monte Carlo
over the uncertain inputs, the peak rule, target probabilities and an IAMC export.

Scenarios are data (``data/scenarios/ningdong/*.yaml``); a child names its parent and states only
what differs (``load_scenario``, ``assumption_diff``).
"""

from carbonpeak.scenarios.analysis import (
    NO_PEAK,
    PERCENTILES,
    QUANTILES,
    PeakResult,
    full_series,
    iamc_table,
    peak,
    peak_summary,
    quantiles,
    target_probabilities,
)
from carbonpeak.scenarios.engine import (
    INDICATORS,
    BaseYear,
    Draws,
    Projection,
    deterministic,
    project,
    project_loop,
    sample,
)
from carbonpeak.scenarios.model import (
    Discrete,
    Project,
    Ramp,
    Scenario,
    SectorAssumptions,
    Step,
    Uncertain,
    assumption_diff,
    load_scenario,
    scenario_ids,
)
from carbonpeak.scenarios.regional import Boundary, Flows

__all__ = [
    "INDICATORS",
    "NO_PEAK",
    "PERCENTILES",
    "QUANTILES",
    "BaseYear",
    "Boundary",
    "Discrete",
    "Draws",
    "Flows",
    "PeakResult",
    "Project",
    "Projection",
    "Ramp",
    "Scenario",
    "SectorAssumptions",
    "Step",
    "Uncertain",
    "assumption_diff",
    "deterministic",
    "full_series",
    "iamc_table",
    "load_scenario",
    "peak",
    "peak_summary",
    "project",
    "project_loop",
    "quantiles",
    "sample",
    "scenario_ids",
    "target_probabilities",
]
