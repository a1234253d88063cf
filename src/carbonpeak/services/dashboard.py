"""The names code written against the former ``services.dashboard`` imports, from their homes:
the snapshot cache (``services/snapshots.py``), its views (``services/views.py``), monitoring
quality (``services/quality.py``), the submissions list (``services/submission_list.py``) and
lineage (``services/lineage.py``). New code imports from those modules."""

from __future__ import annotations

from carbonpeak.services.lineage import lineage_view
from carbonpeak.services.quality import quality
from carbonpeak.services.snapshots import (
    Snapshot,
    data_version,
    memoized,
    snapshot,
    targets_for_year,
)
from carbonpeak.services.submission_list import submission_list
from carbonpeak.services.views import (
    LEVELS,
    SHOWN_METRICS,
    STATUS_ORDER,
    base_totals,
    energy_carbon,
    enterprise_accounts,
    enterprise_benchmark,
    intensities,
    months_per_year,
    overview,
    sector_names,
)

__all__ = [
    "LEVELS",
    "SHOWN_METRICS",
    "STATUS_ORDER",
    "Snapshot",
    "base_totals",
    "data_version",
    "energy_carbon",
    "enterprise_accounts",
    "enterprise_benchmark",
    "intensities",
    "lineage_view",
    "memoized",
    "months_per_year",
    "overview",
    "quality",
    "sector_names",
    "snapshot",
    "submission_list",
    "targets_for_year",
]
