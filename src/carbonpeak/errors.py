"""The error vocabulary the core and the services raise, and the shells translate: the API to
HTTP statuses (``api/errors.py``, one table), the CLI to exit codes.

Each class subclasses the built-in type callers already catch (``KeyError`` for a lookup,
``ValueError`` for bad input), so code written against those keeps working.

An error may carry a :class:`~carbonpeak.messages.Message` instead of a sentence: the shells show
it in the reader's language (:func:`said`), ``str()`` stays English for logs.

>>> from carbonpeak.messages import message
>>> error = InvalidInput(message("error.format", expected="pdf, xlsx", found="doc"))
>>> str(error), said(error, "zh")
("format: expected pdf, xlsx; found 'doc'", '格式应为 pdf, xlsx 之一，实际为“doc”')
>>> said(NotFound("no enterprise 'x'"), "zh")
"no enterprise 'x'"
"""

from __future__ import annotations

from carbonpeak.messages import Message

__all__ = [
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "Unavailable",
    "message_of",
    "not_found",
    "said",
]


def message_of(exc: BaseException) -> Message | None:
    """The catalogue message an error carries, if it carries one."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], Message) else None


def said(exc: BaseException, language: str) -> str:
    """The error as a sentence in ``language``: its message's text, else its own (English)
    sentence; a KeyError's without the repr's quotes."""
    carried = message_of(exc)
    if carried is not None:
        return carried.text(language)
    if isinstance(exc, KeyError) and not isinstance(exc, NotFound):
        return str(exc.args[0]) if exc.args else ""
    return str(exc)


class _Said:
    """The error's text in a language (mixed into each class of the vocabulary)."""

    def text(self, language: str) -> str:
        assert isinstance(self, BaseException)
        return said(self, language)


class NotFound(_Said, KeyError):
    """No such thing: a plan entry, a record, or data for the period asked about."""

    def __str__(self) -> str:
        # KeyError shows its argument's repr (quotes added); this argument is a sentence.
        return str(self.args[0]) if self.args else ""


class Forbidden(_Said, Exception):
    """The caller's role, or its organisation or enterprise, may not see or do this."""


class InvalidInput(_Said, ValueError):
    """A request that cannot be carried out as asked: a wrong value, a missing field."""


class Conflict(_Said, Exception):
    """Changed by someone else at the same moment; nothing from this request was written."""


class Unavailable(_Said, RuntimeError):
    """Something this installation lacks (a font, a server) keeps the request from being done;
    the message says what to install or configure."""


def not_found(exc: KeyError) -> NotFound:
    """A lookup's KeyError as :class:`NotFound`, its message without the repr's quotes."""
    if isinstance(exc, NotFound):
        return exc
    return NotFound(str(exc.args[0]) if exc.args else "not found")
