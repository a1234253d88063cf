"""The one message catalogue: every text a person reads, by a stable key, in Chinese (first) and
English. The catalogues are gettext files (``data/messages/<locale>/LC_MESSAGES/carbonpeak.po``)
read with Babel; ``{name}`` in a text marks a value filled in when it is shown."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.pofile import read_po

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALES",
    "Message",
    "catalogue",
    "catalogue_path",
    "has_text",
    "message",
    "placeholders",
    "render",
    "text",
]

DOMAIN = "carbonpeak"
LANGUAGES = ("zh", "en")  # the interface's languages, Chinese first
LOCALES = {"zh": "zh_CN", "en": "en"}  # language → the catalogue's (and Babel's) locale


def catalogue_path(language: str) -> str:
    """The catalogue file of ``language``, inside the package."""
    return f"data/messages/{LOCALES[language]}/LC_MESSAGES/{DOMAIN}.po"


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """Key → text in ``language``.

    >>> catalogue("zh")["overview"], catalogue("en")["overview"]
    ('总览', 'Overview')
    """
    source = resources.files("carbonpeak").joinpath(catalogue_path(language))
    with source.open("rb") as po:
        read = read_po(po, locale=LOCALES[language], domain=DOMAIN)
    return {str(m.id): str(m.string) for m in read if m.id and isinstance(m.id, str)}


def has_text(key: str) -> bool:
    """Whether the catalogue holds ``key``."""
    return key in catalogue(LANGUAGES[0])


def placeholders(template: str) -> set[str]:
    """The ``{name}`` values a text expects.

    >>> sorted(placeholders("{count} 家企业，{name}"))
    ['count', 'name']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(key: str, language: str, /, **values: Any) -> str:
    """The text of ``key`` in ``language`` with ``values`` filled in; a value that is itself a
    :class:`Message` is shown in the same language. A key with no text shows as itself, so a gap
    is visible (and the page walks in tests/ fail on it).

    >>> text("overview", "zh"), text("overview", "en")
    ('总览', 'Overview')
    """
    template = catalogue(language if language in LOCALES else LANGUAGES[0]).get(key)
    if template is None:
        return key
    if not values:
        return template
    return template.format(**{name: render(value, language) for name, value in values.items()})


def render(value: object, language: str) -> str:
    """A message, or any other value as text, in ``language``."""
    if isinstance(value, Message):
        return value.text(language)
    return str(value)


@dataclass(frozen=True)
class Message:
    """A text not yet put into a language: its key and its values. The core returns these
    (reasoning, errors) and the shells show them in the reader's language; ``str()`` gives the
    English, for logs.

    >>> m = Message("status.on_track")
    >>> m.text("zh"), str(m)
    ('进展顺利', 'On track')
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, language: str) -> str:
        return text(self.key, language, **self.values)

    def __str__(self) -> str:
        return self.text("en")


def message(key: str, /, **values: Any) -> Message:
    """``Message(key, values)``, spelt as a call.

    >>> message("status.on_track").text("zh")
    '进展顺利'
    """
    return Message(key, values)
