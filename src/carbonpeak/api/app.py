"""The FastAPI application factory: /api/v1, documented by OpenAPI, thin over the services.

``create_app`` only assembles: the routers (``api/routers/``, one per resource), the
dependencies' sources on ``app.state`` (``api/deps.py``), the error handlers (``api/errors.py``)
and the request hardening (``api/hardening.py``).

Who may call what is declared on each route (``deps.require``) and narrowed inside the route
or the service where the answer depends on the data: an enterprise sees only its own
enterprise, a responsible unit reports only on its own tasks and indicators.
tests/web/test_authorisation.py checks every route for every role.
"""

from collections.abc import Callable

from fastapi import FastAPI
from sqlalchemy import Engine

from carbonpeak import __version__
from carbonpeak.api.deps import Sources
from carbonpeak.api.docs import docs_routes
from carbonpeak.api.errors import ERRORS, install_handlers
from carbonpeak.api.hardening import install
from carbonpeak.api.routers import ROUTERS
from carbonpeak.api.schemas import ErrorBody
from carbonpeak.api.security import Security
from carbonpeak.plan import Plan, load_plan
from carbonpeak.services.store import TelemetryStore

__all__ = ["ErrorBody", "create_app"]


def create_app(
    engine: Callable[[], Engine],
    store: Callable[[], TelemetryStore],
    plan: Plan | None = None,
) -> FastAPI:
    """The API over the store ``engine()``, the telemetry store ``store()`` and ``plan``."""
    the_plan = plan or load_plan().plan
    app = FastAPI(
        title="carbonpeak 碳达峰管理平台 API",
        version=__version__,
        description="The carbon-peak management platform's API. Sign in with a per-client "
        "token (Authorization: Bearer cpk_…). Data marked synthetic are demo data.",
        responses=ERRORS,
        docs_url=None,  # served from this machine by api/docs.py, not from a CDN
        redoc_url=None,
    )
    app.state.sources = Sources(engine, store, the_plan)
    app.state.security = Security(engine)
    app.state.plan = the_plan
    app.state.engine = engine
    app.state.store = store
    install(app)
    install_handlers(app)
    app.router.routes.extend(docs_routes(app.title))
    for router in ROUTERS:
        # The routes themselves: ``include_router`` would add one nested entry per router, and
        # ``app.routes`` lists every route (tests/web/test_authorisation.py walks it). The
        # routers carry the error responses (ERRORS) that the app's own routes get.
        app.router.routes.extend(router.routes)
    return app
