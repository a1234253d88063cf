"""One error shape for every answer that is not a success, and one table from the error
vocabulary (``carbonpeak.errors``) to HTTP statuses. No route chooses a status itself for
what the core or a service refused.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from carbonpeak.api.schemas import ErrorBody, ProblemBody
from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Unavailable,
    message_of,
)
from carbonpeak.messages import LANGUAGES, Message, message
from carbonpeak.services.uploads import UnsupportedFileType

__all__ = [
    "ERRORS",
    "LANGUAGE_COOKIE",
    "STATUS",
    "Refusal",
    "install_handlers",
    "problem_response",
    "refused",
    "request_language",
    "role_may_not",
    "status_of",
]

LANGUAGE_COOKIE = "cp_lang"  # the web pages' language switch; the API honours it too


class Refusal(StarletteHTTPException):
    """An HTTP error made from an error of the vocabulary, with the catalogue message it
    carries (if any), so that a page and the JSON ``message`` show it in the reader's language;
    ``detail`` stays the English sentence."""

    def __init__(
        self,
        status: int,
        detail: str,
        message: Message | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, detail, headers)
        self.message = message


def refused(status: int, said: Message, headers: dict[str, str] | None = None) -> Refusal:
    """An HTTP refusal whose sentence comes from the catalogue (``detail`` is its English)."""
    return Refusal(status, str(said), said, headers)


def role_may_not(role: str, doing: str = "error.doing.this") -> Message:
    """ "The <role> role may not <do this>": ``role`` a role's value, ``doing`` the catalogue key
    of what was asked (``error.doing.*``)."""
    return message(
        "error.role_may_not_do", role=message(f"error.role.{role}"), doing=message(doing)
    )


def request_language(request: Request) -> str:
    """The reader's language: the ``cp_lang`` cookie, else the first language of
    Accept-Language (by its q weights) the catalogue holds, else Chinese."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    weighted = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag.split("-")[0].strip().lower()))
    return next((tag for _, _, tag in sorted(weighted) if tag in LANGUAGES), LANGUAGES[0])


# The vocabulary's HTTP statuses. A class that is two things (a service's "not found" that is
# also its input error) gets the status of the first of them in its MRO.
STATUS: dict[type[Exception], int] = {
    UnsupportedFileType: 415,
    NotFound: 404,
    Forbidden: 403,
    InvalidInput: 422,
    Conflict: 409,
    Unavailable: 503,
}

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "a body that cannot be parsed"),
        (401, "not signed in, or a bad API token"),
        (403, "this role may not do this"),
        (404, "no such thing"),
        (409, "changed by another request at the same time; nothing written"),
        (413, "request body too large"),
        (422, "invalid input"),
        (429, "too many failed logins"),
        (503, "this installation lacks what the request needs (e.g. a Chinese font for PDFs)"),
    )
}

INTEGRITY_CONFLICT = "conflict: another request changed the same record at the same time"


def status_of(exc: Exception) -> int:
    """The HTTP status of an error of the vocabulary."""
    return next(STATUS[cls] for cls in type(exc).__mro__ if cls in STATUS)


def problem_response(
    status: int,
    error: str,
    file: str | None = None,
    problems: list[Problem] | None = None,
    headers: dict[str, str] | None = None,
    message: str | None = None,
) -> JSONResponse:
    body = ErrorBody(
        error=error,
        message=error if message is None else message,
        file=file,
        problems=[
            ProblemBody(
                location=p.location,
                problem=str(p.problem),
                expected=None if p.expected is None else str(p.expected),
                found=p.found if isinstance(p.found, str | int | float | None) else str(p.found),
            )
            for p in (problems or [])
        ],
    )
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


async def _refused(request: Request, exc: Exception) -> Any:
    # Through the app's HTTP error handler, so an app that renders pages for browsers (the web
    # app replaces that handler) answers a page's refusal with a page.
    handler = request.app.exception_handlers[StarletteHTTPException]
    return await handler(request, Refusal(status_of(exc), str(exc), message_of(exc)))


async def _data_file_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DataFileError)
    return problem_response(422, "invalid file", exc.file, exc.problems)


async def _integrity_conflict(_request: Request, _exc: Exception) -> JSONResponse:
    return problem_response(409, INTEGRITY_CONFLICT)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    said = exc.message if isinstance(exc, Refusal) else None
    shown = said.text(request_language(request)) if said is not None else None
    return problem_response(exc.status_code, str(exc.detail), headers=headers, message=shown)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(
            location=" → ".join(str(part) for part in error.get("loc", ())),
            problem=str(error.get("msg", "invalid")),
            expected=str(error.get("type", "")) or None,
            found=error["input"] if isinstance(error.get("input"), str | int | float) else None,
        )
        for error in exc.errors()
    ]
    return problem_response(422, "invalid input", problems=problems)


def install_handlers(app: FastAPI) -> None:
    """Every error in the one shape: the vocabulary by ``STATUS``, a data file's problems, a
    unique-key race as a conflict, HTTP errors and request validation."""
    for error in STATUS:
        app.add_exception_handler(error, _refused)
    app.add_exception_handler(DataFileError, _data_file_error)
    app.add_exception_handler(IntegrityError, _integrity_conflict)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
