"""The API's routes, one router per resource, included by ``create_app`` in this order (the
order of the OpenAPI document)."""

from fastapi import APIRouter

from carbonpeak.api.routers import (
    enterprises,
    meta,
    notices,
    plan,
    portal,
    project_actions,
    projects,
    registry,
    scenarios,
    submissions,
    tasks,
    telemetry,
    tracking,
    users,
)
from carbonpeak.api.routers import reports as report_downloads

ROUTERS: tuple[APIRouter, ...] = (
    meta.router,
    plan.router,
    tracking.router,
    enterprises.router,
    submissions.router,
    telemetry.router,
    tasks.router,
    scenarios.router,
    report_downloads.router,
    users.router,
    projects.router,
    project_actions.router,
    registry.router,
    portal.router,
    notices.router,
)

__all__ = ["ROUTERS"]
