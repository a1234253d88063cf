"""The values an indicator can take (its :class:`~carbonpeak.plan.Domain`), checked in one place
for inputs, computed values and projections."""

from __future__ import annotations

import math

from carbonpeak.plan import Domain, Indicator

__all__ = ["DomainError", "check_value", "in_domain"]


class DomainError(ValueError):
    """A value an indicator cannot take."""


_ALLOWED = {
    Domain.share: "a percentage from 0 to 100",
    Domain.whole_number: "a non-negative whole number",
    Domain.non_negative: "a number not below 0",
    Domain.real: "a finite number",
}


def in_domain(domain: Domain, value: float) -> bool:
    """Whether ``value`` is one an indicator of ``domain`` can take.

    >>> in_domain(Domain.share, 100.0), in_domain(Domain.share, 100.5)
    (True, False)
    >>> in_domain(Domain.whole_number, 4.0), in_domain(Domain.whole_number, 4.5)
    (True, False)
    """
    if not math.isfinite(value):
        return False
    if domain is Domain.share:
        return 0.0 <= value <= 100.0
    if domain is Domain.whole_number:
        return value >= 0 and float(value).is_integer()
    if domain is Domain.non_negative:
        return value >= 0
    return True


def check_value(indicator: Indicator, value: float) -> None:
    """Raise :class:`DomainError` naming the indicator, the allowed range and the value found."""
    if not in_domain(indicator.domain, value):
        raise DomainError(
            f"{indicator.id} ({indicator.name_zh}) takes {_ALLOWED[indicator.domain]} "
            f"in {indicator.unit}; found {value!r}"
        )
