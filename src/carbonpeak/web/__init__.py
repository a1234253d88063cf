"""The web application: the HTTP API plus server-rendered, bilingual dashboard pages, with every
asset (plotly.js included) served locally.

Layout:

- ``app.py``: ``create_app`` assembles the API, the page state, the error pages and the routers.
- ``pages/<area>.py``: one module per page area, each an ``APIRouter`` named ``router``; the
  handlers get view models from services (``services/page_views.py``, ``services/views.py``,
  ``services/scoped.py``) and only choose, call and render: no arithmetic, no charts.
- ``navigation.py``: each page's roles (``PAGES``, walked by tests/web/test_authorisation.py) and
  the navigation bar (``NAV``).
- ``access.py``: the signed-in user of a page (``page_principal``) or a form post
  (``form_principal``, with its CSRF token); ``state.py``: the store, plan and snapshot
  (``web_state(request)``); ``rendering.py``: ``render_page`` and ``redirect``; ``errors.py``:
  refusals (carbonpeak.errors: NotFound, Forbidden, InvalidInput, Conflict) as pages in the
  normal layout.

Adding a page area (e.g. ``web/projects.py``):

1. a module with ``router = APIRouter(include_in_schema=False)`` whose handlers start with
   ``principal = page_principal(request, "/projects")`` and end with
   ``render_page(request, "projects.html", principal, snapshot=..., **view)``; raise the error
   vocabulary (``NotFound`` …) to refuse, never an ``HTTPException`` with a message;
2. its paths and roles in ``navigation.PAGES`` (and a ``NAV`` entry to show it in the bar);
3. one line in ``app.py``'s ``create_app``: ``include(app, projects.router)`` (it adds the
   routes themselves, as the API does; ``app.include_router`` would nest them in one entry
   that the route table test does not see).
"""

from carbonpeak.web.app import PAGES, create_app

__all__ = ["PAGES", "create_app"]
