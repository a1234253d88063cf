"""Every route the registry and the workspaces add, and the roles each admits, for
tests/web/test_authorisation.py's "every route is in the table" (the registry's own
authorisation test walks the same table)."""

from __future__ import annotations

OFFICE = frozenset({"office"})
OFFICE_ENTERPRISE = frozenset({"office", "enterprise"})
OFFICE_UNIT = frozenset({"office", "econ"})
WORKING = frozenset({"office", "econ", "enterprise"})
ENTERPRISE = frozenset({"enterprise"})

REGISTRY_API_ROUTES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1/registry/enterprises"): OFFICE,
    ("POST", "/api/v1/registry/{entity}"): OFFICE,
    ("PATCH", "/api/v1/registry/{entity}"): OFFICE,
    ("POST", "/api/v1/registry/{entity}/close"): OFFICE,
    ("GET", "/api/v1/registry/enterprises/{code}"): OFFICE_ENTERPRISE,  # its own
    ("GET", "/api/v1/registry/history"): OFFICE,
    ("GET", "/api/v1/registry-template"): OFFICE,
    ("POST", "/api/v1/registry-import"): OFFICE,
    ("GET", "/api/v1/key-units"): OFFICE,
    ("GET", "/api/v1/review-queue"): OFFICE,
    ("GET", "/api/v1/review-queue/late"): OFFICE,
    ("POST", "/api/v1/review-queue/{submission_id}/return"): OFFICE,
    ("POST", "/api/v1/review-queue/accept"): OFFICE,
    ("POST", "/api/v1/review-queue/remind"): OFFICE,
    ("GET", "/api/v1/registry-events"): OFFICE_ENTERPRISE,
    ("POST", "/api/v1/evidence"): OFFICE_ENTERPRISE,  # to its own report
    ("GET", "/api/v1/evidence"): WORKING,
    ("GET", "/api/v1/evidence/{evidence_id}"): WORKING,  # the office and the owner
}

# Page routes besides the PAGES table's own (GET /workspace, /review, /registry).
REGISTRY_PAGE_ROUTES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/registry/template.xlsx"): OFFICE,
    ("GET", "/registry/{code}"): OFFICE,
    ("POST", "/registry/import"): OFFICE,
    ("POST", "/registry/enterprises"): OFFICE,
    ("POST", "/registry/key-units"): OFFICE,
    ("POST", "/registry/{code}/{action}"): OFFICE,
    ("GET", "/workspace/template.xlsx"): ENTERPRISE,
    ("POST", "/workspace/upload"): ENTERPRISE,
    ("POST", "/workspace/submit"): ENTERPRISE,
    ("POST", "/workspace/evidence"): ENTERPRISE,
    ("POST", "/workspace/task-report"): OFFICE_UNIT,
    ("POST", "/workspace/indicator-report"): OFFICE_UNIT,
    ("GET", "/evidence/{evidence_id}"): WORKING,  # the office and the owner
    ("POST", "/review/{action}"): OFFICE,
}

REGISTRY_ROUTES = set(REGISTRY_API_ROUTES) | set(REGISTRY_PAGE_ROUTES)
