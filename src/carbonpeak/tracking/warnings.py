"""Pace-aware early warning on annual energy and carbon budgets (用能预算, 碳排放预算).

"Percent used" hides pace: 70 % of a budget used after eight of twelve months looks safe, yet at
that pace the year ends at 105 %. The forecast divides the use so far by the share of a normal
year's use those months carry (from the unit's own seasonal profile, flat when unknown).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from carbonpeak.messages import Message, message
from carbonpeak.tracking.method import tracking_method
from carbonpeak.tracking.wording import whole_percent

__all__ = ["WATCH_SHARE", "BudgetForecast", "Level", "forecast_budget", "seasonal_profile"]

# A forecast at or above this share of the budget is watched (data/methods/tracking.yaml).
WATCH_SHARE = float(tracking_method().parameter("budget_watch_share"))


class Level(StrEnum):
    ok = "ok"
    watch = "watch"  # on course for the last few percent of the budget: watched, not warned
    warning = "warning"  # on course to exceed the budget by the year's end
    exceeded = "exceeded"  # already over the budget


@dataclass(frozen=True)
class BudgetForecast:
    level: Level
    reason: Message  # why, in either language (``reasoning``: its English)
    budget: float
    used: float
    months: int
    used_share: float  # of the budget, so far
    expected_share: float  # of a year's use that the months so far normally carry
    forecast: float  # the year's end at the pace so far
    forecast_share: float  # of the budget

    @property
    def reasoning(self) -> str:
        return self.reason.text("en")

    def as_dict(self) -> dict[str, Any]:
        """The forecast as plain values: ``reasoning`` in English, ``reasoning_zh`` in Chinese."""
        data = asdict(self)
        del data["reason"]
        data["level"] = self.level.value
        data["reasoning"] = self.reason.text("en")
        data["reasoning_zh"] = self.reason.text("zh")
        return data


def seasonal_profile(history: list[list[float]]) -> list[float]:
    """Shares of a year's use by month (summing to 1) from full past years of 12 monthly values;
    flat where there is no usable history."""
    years = [year for year in history if len(year) == 12 and sum(year) > 0]
    if not years:
        return [1 / 12] * 12
    shares = [[month / sum(year) for month in year] for year in years]
    return [sum(s[m] for s in shares) / len(shares) for m in range(12)]


def forecast_budget(
    monthly_use: list[float], budget: float, profile: list[float] | None = None, margin: float = 0.0
) -> BudgetForecast:
    """Forecast the year's end from the months so far (January first) and warn if it exceeds
    ``budget`` by more than ``margin`` (a fraction)."""
    if budget <= 0:
        raise ValueError("a budget must be positive")
    if not 0 < len(monthly_use) <= 12:
        raise ValueError(f"expected 1-12 months of use, got {len(monthly_use)}")
    shares = profile or [1 / 12] * 12
    months = len(monthly_use)
    used = float(sum(monthly_use))
    expected = float(sum(shares[:months]))
    forecast = used / expected if expected > 0 else used
    share_now, share_end = used / budget, forecast / budget
    figures: dict[str, object] = {
        "used": whole_percent(share_now),
        "months": months,
        "forecast": whole_percent(share_end),
    }
    if used > budget:
        level = Level.exceeded
        reason = message("budget.exceeded", **figures)
    elif forecast > budget * (1 + margin):
        level = Level.warning
        reason = message("budget.warning", expected=whole_percent(expected), **figures)
    elif share_end >= WATCH_SHARE:
        level = Level.watch
        reason = message("budget.watch", margin=whole_percent(1 - WATCH_SHARE), **figures)
    else:
        level = Level.ok
        reason = message("budget.ok", **figures)
    return BudgetForecast(
        level, reason, budget, used, months, share_now, expected, forecast, share_end
    )
