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
from carbonpeak.web.rendering import templates
from carbonpeak.web.texts import TEMPLATE_HELPERS

__all__ = ["AREAS"]

# The names and numbers every page's template may show in the reader's language (web/texts.py).
templates.env.globals.update(TEMPLATE_HELPERS)

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
