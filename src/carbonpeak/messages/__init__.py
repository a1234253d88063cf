"""Texts and number formats a person reads (the pure core's message catalogue)."""

from carbonpeak.messages.catalogue import (
    DOMAIN,
    LANGUAGES,
    LOCALES,
    Message,
    catalogue,
    catalogue_path,
    has_text,
    message,
    placeholders,
    render,
    text,
)
from carbonpeak.messages.formats import BEIJING, amount, moment, number, percent

__all__ = [
    "BEIJING",
    "DOMAIN",
    "LANGUAGES",
    "LOCALES",
    "Message",
    "amount",
    "catalogue",
    "catalogue_path",
    "has_text",
    "message",
    "moment",
    "number",
    "percent",
    "placeholders",
    "render",
    "text",
]
