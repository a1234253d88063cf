"""The HTTP API (FastAPI) under /api/v1: thin over the services.

This first part carries what data collection needs: report uploads (the Excel template, CSV,
JSON, Parquet) and batches of meter readings, with every error in one JSON shape. Accounts,
roles and tokens come with the web application.
"""

from carbonpeak.api.app import create_app

__all__ = ["create_app"]
