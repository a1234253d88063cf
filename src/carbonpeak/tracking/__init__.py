"""Target tracking: decomposition of changes (LMDI) and progress assessment."""

from carbonpeak.tracking.lmdi import (
    Decomposition,
    decompose,
    decompose_table,
    log_mean,
    period_effects,
)

__all__ = ["Decomposition", "decompose", "decompose_table", "log_mean", "period_effects"]
