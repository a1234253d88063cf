"""The API tests run on the same demo store as the page tests (tests/web/conftest.py)."""

from tests.web.conftest import web_app, web_base

__all__ = ["web_app", "web_base"]
