"""The web application: the API (/api/v1) plus server-rendered pages, every asset served from
the package (no CDN). Pages admit the roles ``web/navigation.py`` lists for them.

``create_app`` only assembles: the API app, the state every page reads (web/state.py), the error
pages (web/errors.py) and one router per page area (web/pages/*). A new area adds one
``include(app, <area>.router)`` line below (see web/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from carbonpeak.api import create_app as create_api
from carbonpeak.api.security import LoginThrottle
from carbonpeak.plan import Plan, load_plan
from carbonpeak.services.store import TelemetryStore
from carbonpeak.settings import settings
from carbonpeak.web import inbox, project_forms, projects
from carbonpeak.web.errors import install_page_errors
from carbonpeak.web.navigation import PAGES
from carbonpeak.web.pages import AREAS
from carbonpeak.web.portal import portal_pages
from carbonpeak.web.registry import install as install_registry_pages
from carbonpeak.web.rendering import templates
from carbonpeak.web.state import DemoLoader, WebState

__all__ = ["PAGES", "create_app", "include"]


def include(app: FastAPI, router: APIRouter) -> None:
    """A page area's routes, as the app's own (as api/app.py does): ``include_router`` would
    nest each router in one entry, which tests/web/test_authorisation.py's route table and the
    route listing do not look into."""
    app.router.routes.extend(router.routes)


def create_app(
    engine: Callable[[], Engine],
    store: Callable[[], TelemetryStore],
    plan: Plan | None = None,
    demo_loader: DemoLoader | None = None,
) -> FastAPI:
    """The whole application. ``demo_loader`` lets the set-up page load the demo base."""
    the_plan = plan or load_plan().plan
    # Checking every template file's time on every render is for development only.
    templates.env.auto_reload = settings().dev  # CARBONPEAK_DEV
    app = create_api(engine, store, the_plan)
    throttle = LoginThrottle()
    app.state.throttle = throttle
    app.state.web = WebState(engine, store, the_plan, demo_loader, throttle)
    install_page_errors(app)
    for area in AREAS:
        include(app, area.router)
    # New page areas: one line each, e.g. include(app, projects.router)
    include(app, projects.router)  # web/projects.py
    include(app, project_forms.router)  # web/project_forms.py
    install_registry_pages(app, engine, store, the_plan)  # web/registry.py, web/workspace.py
    include(app, inbox.router)  # web/inbox.py
    include(app, portal_pages(engine, the_plan))  # web/portal.py (public: no PAGES entry)
    return app
