"""Refusals as pages. The error vocabulary (carbonpeak.errors) reaches here through the API's one
table (api/errors.py: NotFound 404, Forbidden 403, InvalidInput 422, Conflict 409), which answers
through the app's HTTP error handler; this module replaces that handler so that a browser gets
the error inside the normal page layout, with the navigation of whoever is signed in, and an API
client the one JSON error shape."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from carbonpeak.api.errors import Refusal
from carbonpeak.messages import message
from carbonpeak.web.access import PageRedirect, session_principal
from carbonpeak.web.rendering import language, render_page

__all__ = ["install_page_errors"]

# The heading of each status's page (web/i18n.py); other statuses show their number only.
ERROR_TITLES = {401: "error_401", 403: "error_403", 404: "error_404", 409: "error_409"}
ERROR_TITLES |= {413: "error_413", 422: "error_422", 429: "error_429", 503: "error_503"}


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def _error_page(request: Request, exc: StarletteHTTPException) -> Response:
    """The error inside the layout, with the signed-in user's navigation."""
    found = session_principal(request)
    if found is not None:
        request.state.csrf_token = found[1]
    response = render_page(
        request,
        "error.html",
        found[0] if found else None,
        status_code=exc.status_code,
        status=exc.status_code,
        title=ERROR_TITLES.get(exc.status_code),
        detail=_detail(request, exc),
    )
    response.headers.update(exc.headers or {})  # a 429's Retry-After
    return response


def _detail(request: Request, exc: StarletteHTTPException) -> str:
    """The error's sentence in the visitor's language when it has a catalogue text; otherwise
    its own (English) sentence, which the page shows as a detail under the translated heading."""
    if isinstance(exc, Refusal) and exc.message is not None:
        return exc.message.text(language(request))
    if str(exc.detail) == HTTPStatus(exc.status_code).phrase:  # "Not Found": the heading says it
        return ""
    return str(exc.detail)


def _as_http_error(exc: Exception) -> StarletteHTTPException:
    if isinstance(exc, RequestValidationError):  # a page's query that does not parse: ?year=abc
        fields = "; ".join(
            f"{' → '.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()
        )
        names = "、".join(dict.fromkeys(str(error.get("loc", ("",))[-1]) for error in exc.errors()))
        return Refusal(422, fields or "invalid input", message("error.invalid_query", fields=names))
    assert isinstance(exc, StarletteHTTPException)
    return exc


ErrorHandler = Callable[[Request, Exception], Response | Awaitable[Response]]


def _page_or(api_handler: ErrorHandler) -> ErrorHandler:
    """A handler that answers a browser's page request with the error page, and anything
    else as ``api_handler`` (the API's one error shape) does."""

    async def handle(request: Request, exc: Exception) -> Response:
        if _wants_page(request):
            return _error_page(request, _as_http_error(exc))
        outcome = api_handler(request, exc)
        return await outcome if inspect.isawaitable(outcome) else outcome

    return handle


def install_page_errors(app: FastAPI) -> None:
    """Pages' refusals (and queries that do not parse) as pages; the API's, and those of
    clients that are not browsers, as the API answers them."""
    for kind in (StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(kind, _page_or(app.exception_handlers[kind]))

    async def page_redirect(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageRedirect)
        return RedirectResponse(exc.location, status_code=303)

    app.add_exception_handler(PageRedirect, page_redirect)
