"""Each page, the roles it admits, and the navigation bar. tests/web/test_authorisation.py walks
``PAGES``; a new page area adds its paths here (see web/__init__.py)."""

from __future__ import annotations

from carbonpeak.services.accounts import Role

__all__ = ["NAV", "NAV_ROLES", "PAGES", "REGISTRY_PAGES"]

A, U, E, V = Role.admin, Role.unit, Role.enterprise, Role.viewer
ALL = (A, U, E, V)
PAGES: dict[str, tuple[Role, ...]] = {
    "/": ALL,
    "/control-room": (A,),
    "/energy": ALL,
    "/enterprises": (A, E),
    "/enterprises/{code}": (A, E),
    "/quality": (A, E),
    "/tasks": ALL,
    "/warnings": (A, U, E),
    "/assessment": (A, U),
    "/lineage": ALL,
    "/scenarios": ALL,
    "/reports": (A,),
    "/admin": (A,),
    # The registry and the workspaces (web/registry.py, web/workspace.py).
    "/workspace": (A, U, E),
    "/review": (A,),
    "/registry": (A,),
    # The major-project library (web/projects.py), as api/routers/projects.py admits: the office
    # and the units see every project, an enterprise its own, viewers none.
    "/projects": (A, U, E),
    "/projects/register": (A,),  # per-facility unit energy: confidential cells, the office's
    "/projects/review": (A,),
    "/projects/{project_id}": (A, U, E),
    # The notices of the signed-in user's unit, enterprise or office (web/inbox.py).
    "/inbox": (A, U, E),
}
REGISTRY_PAGES = {path: PAGES[path] for path in ("/workspace", "/review", "/registry")}
# The navigation bar in order: (path, label key); a link shows to the roles its page admits,
# or to those of NAV_ROLES where the bar offers it to fewer. The public portal (/portal) needs
# no account: base.html links it in the footer for everyone.
NAV: list[tuple[str, str]] = [
    ("/", "overview"),
    ("/workspace", "workspace"),
    ("/review", "review"),
    ("/control-room", "control_room"),
    ("/energy", "energy"),
    ("/enterprises", "enterprises"),
    ("/registry", "registry"),
    ("/quality", "quality"),
    ("/tasks", "tasks"),
    ("/warnings", "warnings"),
    ("/assessment", "assessment"),
    ("/projects", "projects"),
    ("/scenarios", "scenarios"),
    ("/reports", "reports"),
    ("/admin", "admin"),
    ("/inbox", "inbox"),
]
# The bar offers the project library to the office and the units; an enterprise may still open
# /projects (its own projects).
NAV_ROLES: dict[str, tuple[Role, ...]] = {"/projects": (A, U)}
