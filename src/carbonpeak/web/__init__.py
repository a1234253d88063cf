"""The web application: the HTTP API plus server-rendered, bilingual dashboard pages, with every
asset (plotly.js included) served locally."""

from carbonpeak.web.app import PAGES, create_app

__all__ = ["PAGES", "create_app"]
