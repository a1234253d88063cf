"""The HTTP API (FastAPI) under /api/v1: thin over the services.

``create_app`` (app.py) assembles the routers (routers/, one per resource), the request and
response bodies (schemas.py), the dependencies (deps.py: the caller, roles, paging, the
sources), the one error shape and status table (errors.py), the caller's identity
(security.py) and the request limits and headers (hardening.py).
"""

from carbonpeak.api.app import create_app

__all__ = ["create_app"]
