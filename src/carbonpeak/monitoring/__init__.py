"""Online energy monitoring of key energy-using units: readings, aggregation, data quality."""

from carbonpeak.monitoring.quality import (
    COMPLETENESS_THRESHOLD,
    DEVIATION_LIMIT,
    SCORE_WEIGHTS,
    calendar_table,
    daily_energy,
    enterprise_month_quality,
    meter_month_quality,
    monthly_energy,
    valid_readings,
)
from carbonpeak.monitoring.readings import READING_COLUMNS, Meter, parse_readings

__all__ = [
    "COMPLETENESS_THRESHOLD",
    "DEVIATION_LIMIT",
    "READING_COLUMNS",
    "SCORE_WEIGHTS",
    "Meter",
    "calendar_table",
    "daily_energy",
    "enterprise_month_quality",
    "meter_month_quality",
    "monthly_energy",
    "parse_readings",
    "valid_readings",
]
