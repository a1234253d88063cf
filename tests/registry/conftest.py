"""The demo store with one account per role (tests/web/conftest.py), for the browser test."""

from tests.web.conftest import web_base  # noqa: F401 - the shared session fixture
