"""Each page, the roles it admits, and the navigation bar. tests/web/test_authorisation.py walks
``PAGES``; a new page area adds its paths here (see web/__init__.py)."""

from __future__ import annotations

from carbonpeak.services.accounts import Role

__all__ = ["NAV", "PAGES", "REGISTRY_PAGES"]

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
}
REGISTRY_PAGES = {path: PAGES[path] for path in ("/workspace", "/review", "/registry")}
# The navigation bar in order: (path, label key); a link shows to the roles its page admits.
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
    ("/scenarios", "scenarios"),
    ("/reports", "reports"),
    ("/admin", "admin"),
]
