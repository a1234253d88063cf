"""Target tracking: decomposition of changes (LMDI) and progress assessment."""

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

__all__ = [
    "APPROX_TOLERANCE",
    "Assessment",
    "Decomposition",
    "Status",
    "assess",
    "decompose",
    "decompose_table",
    "geometric_path",
    "log_mean",
    "period_effects",
]
