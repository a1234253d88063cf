"""The page areas, one module each, each an ``APIRouter`` named ``router`` (web/__init__.py says
how to add one). ``AREAS`` is the order ``create_app`` includes them in."""

from __future__ import annotations

from carbonpeak.web.pages import (
    admin,
    assessment,
    assets,
    control_room,
    energy,
    enterprises,
    lineage,
    overview,
    reports,
    scenarios,
    signin,
    tasks,
)

__all__ = ["AREAS"]

AREAS = (
    assets,
    signin,
    overview,
    control_room,
    energy,
    enterprises,
    tasks,
    assessment,
    lineage,
    scenarios,
    reports,
    admin,
)
