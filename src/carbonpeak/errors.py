"""The error vocabulary the core and the services raise, and the shells translate: the API to
HTTP statuses (``api/errors.py``, one table), the CLI to exit codes.

Each class subclasses the built-in type callers already catch (``KeyError`` for a lookup,
``ValueError`` for bad input), so code written against those keeps working.
"""

from __future__ import annotations

__all__ = ["Conflict", "Forbidden", "InvalidInput", "NotFound", "Unavailable", "not_found"]


class NotFound(KeyError):
    """No such thing: a plan entry, a record, or data for the period asked about."""

    def __str__(self) -> str:
        # KeyError shows its argument's repr (quotes added); this argument is a sentence.
        return str(self.args[0]) if self.args else ""


class Forbidden(Exception):
    """The caller's role, or its organisation or enterprise, may not see or do this."""


class InvalidInput(ValueError):
    """A request that cannot be carried out as asked: a wrong value, a missing field."""


class Conflict(Exception):
    """Changed by someone else at the same moment; nothing from this request was written."""


class Unavailable(RuntimeError):
    """Something this installation lacks (a font, a server) keeps the request from being done;
    the message says what to install or configure."""


def not_found(exc: KeyError) -> NotFound:
    """A lookup's KeyError as :class:`NotFound`, its message without the repr's quotes."""
    if isinstance(exc, NotFound):
        return exc
    return NotFound(str(exc.args[0]) if exc.args else "not found")
