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
from carbonpeak.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from carbonpeak.services.uploads import UnsupportedFileType

__all__ = ["ERRORS", "STATUS", "install_handlers", "problem_response", "status_of"]

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
) -> JSONResponse:
    body = ErrorBody(
        error=error,
        file=file,
        problems=[
            ProblemBody(
                location=p.location,
                problem=p.problem,
                expected=p.expected,
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
    return await handler(request, StarletteHTTPException(status_of(exc), str(exc)))


async def _data_file_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DataFileError)
    return problem_response(422, "invalid file", exc.file, exc.problems)


async def _integrity_conflict(_request: Request, _exc: Exception) -> JSONResponse:
    return problem_response(409, INTEGRITY_CONFLICT)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(exc.status_code, str(exc.detail), headers=headers)


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
