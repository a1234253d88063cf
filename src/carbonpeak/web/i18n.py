"""Interface text: Chinese first, English on the switch. Every text is in the one message
catalogue (``carbonpeak.messages``, gettext files in ``data/messages``); this module gives the
pages its label and status lookups."""

from __future__ import annotations

from carbonpeak.messages import LANGUAGES, has_text, text

__all__ = ["LANGUAGES", "label", "status_text"]


def status_text(status: str, language: str) -> str:
    """A target's or goal's status in ``language``; an unknown one shows as itself.

    >>> status_text("on_track", "zh"), status_text("pending", "en")
    ('进展顺利', 'Pending')
    """
    for key in (f"status.{status}", f"goal_status.{status}"):
        if has_text(key):
            return text(key, language)
    return status


def label(key: str, language: str) -> str:
    """A label in ``language``; a key with no entry shows as itself, so a gap is visible.

    >>> label("overview", "zh"), label("overview", "en"), label("pending", "en")
    ('总览', 'Overview', 'Pending')
    """
    if has_text(key):
        return text(key, language)
    return status_text(key, language)
