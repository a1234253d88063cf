"""Refusals as pages. The error vocabulary (carbonpeak.errors) reaches here through the API's one
table (api/errors.py: NotFound 404, Forbidden 403, InvalidInput 422, Conflict 409), which answers
through the app's HTTP error handler; this module replaces that handler so that a browser gets
the error inside the normal page layout, with the navigation of whoever is signed in, and an API
client the one JSON error shape."""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from carbonpeak.web.access import PageRedirect, session_principal
from carbonpeak.web.rendering import render_page

__all__ = ["install_page_errors"]

# The heading of each status's page (web/i18n.py); other statuses show their number only.
ERROR_TITLES = {401: "error_401", 403: "error_403", 404: "error_404", 409: "error_409"}
ERROR_TITLES |= {413: "error_413", 422: "error_422", 429: "error_429"}


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def install_page_errors(app: FastAPI) -> None:
    """Pages' refusals as pages; the API's (and non-browser clients') as the API answers them."""
    api_error_handler = app.exception_handlers[StarletteHTTPException]

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not _wants_page(request):
            outcome = api_error_handler(request, exc)
            return await outcome if inspect.isawaitable(outcome) else outcome
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
            detail=str(exc.detail),
        )
        response.headers.update(exc.headers or {})  # a 429's Retry-After
        return response

    api_validation_handler = app.exception_handlers[RequestValidationError]

    async def page_validation_error(request: Request, exc: Exception) -> Response:
        """A page's query that does not parse (``?year=abc``): the 422 page, naming the fields."""
        assert isinstance(exc, RequestValidationError)
        if not _wants_page(request):
            outcome = api_validation_handler(request, exc)
            return await outcome if inspect.isawaitable(outcome) else outcome
        fields = "; ".join(
            f"{' → '.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()
        )
        return await page_error(request, StarletteHTTPException(422, fields or "invalid input"))

    async def page_redirect(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageRedirect)
        return RedirectResponse(exc.location, status_code=303)

    app.add_exception_handler(StarletteHTTPException, page_error)
    app.add_exception_handler(RequestValidationError, page_validation_error)
    app.add_exception_handler(PageRedirect, page_redirect)
