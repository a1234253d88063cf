"""The names a page shows for the ids the services pass around: an organisation (the catalogue's
``org.<id>``, else the plan's name), an enterprise (its registered name), a budget's scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from carbonpeak.messages import has_text, text
from carbonpeak.plan import Organisation, Plan

__all__ = ["enterprise_name", "organisation_name", "recipient_names", "scope_name", "unit_ids"]


def organisation_name(organisation: Organisation, language: str) -> str:
    """An organisation's name in ``language``."""
    key = f"org.{organisation.id}"
    if has_text(key):
        return text(key, language)
    return organisation.name_en if language == "en" else organisation.name_zh


def enterprise_name(enterprises: Mapping[str, Mapping[str, Any]], code: str, language: str) -> str:
    """An enterprise's registered name in ``language`` (Chinese where it has no English one)."""
    found = enterprises.get(code) or {}
    name = found.get("name_en") if language == "en" else None
    return str(name or found.get("name_zh") or code)


def scope_name(enterprises: Mapping[str, Mapping[str, Any]], scope: str, language: str) -> str:
    """A budget's scope: the base, or an enterprise by name."""
    if scope == "base":
        return text("scope_base", language)
    return enterprise_name(enterprises, scope, language)


def recipient_names(
    plan: Plan,
    enterprises: Mapping[str, Mapping[str, Any]],
    recipients: Iterable[str],
    language: str,
) -> list[str]:
    """Recipients (enterprise codes, organisations' Chinese names) as names in ``language``."""
    by_name = {o.name_zh: o for o in plan.organisations}
    return [
        organisation_name(by_name[r], language)
        if r in by_name
        else enterprise_name(enterprises, r, language)
        for r in recipients
    ]


def unit_ids(plan: Plan) -> dict[str, str]:
    """Organisation ids by their Chinese names (the rows name a lead unit so), for a page to
    show the unit's name in its language (the catalogue's ``org.<id>``)."""
    return {o.name_zh: o.id for o in plan.organisations}
