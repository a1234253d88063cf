"""Target tracking: decomposition of changes (LMDI), progress, goals and early warning."""

from carbonpeak.tracking.domains import DomainError, check_value, in_domain
from carbonpeak.tracking.goals import PLATEAU_TOLERANCE, GoalCheck, check_goal, peak_year
from carbonpeak.tracking.lmdi import (
    Decomposition,
    decompose,
    decompose_table,
    log_mean,
    period_effects,
)
from carbonpeak.tracking.progress import (
    APPROX_TOLERANCE,
    Assessment,
    Status,
    assess,
    geometric_path,
)
from carbonpeak.tracking.warnings import BudgetForecast, Level, forecast_budget, seasonal_profile

__all__ = [
    "APPROX_TOLERANCE",
    "PLATEAU_TOLERANCE",
    "Assessment",
    "BudgetForecast",
    "Decomposition",
    "DomainError",
    "GoalCheck",
    "Level",
    "Status",
    "assess",
    "check_goal",
    "check_value",
    "decompose",
    "decompose_table",
    "forecast_budget",
    "geometric_path",
    "in_domain",
    "log_mean",
    "peak_year",
    "period_effects",
    "seasonal_profile",
]
