"""/docs works with no route out of the machine: Swagger UI comes from this server, under the
site's own Content-Security-Policy, and draws every operation of the API."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from fastapi.testclient import TestClient

from carbonpeak.api import create_app
from carbonpeak.api.hardening import CSP
from carbonpeak.plan import PlanDocument
from carbonpeak.storage import TelemetryStore, make_engine, upgrade

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, plan_document: PlanDocument):  # type: ignore[no-untyped-def]
    root: Path = tmp_path_factory.mktemp("docs")
    engine = make_engine(f"sqlite:///{root / 'carbonpeak.db'}")
    upgrade(engine)
    store = TelemetryStore(root / "telemetry")
    yield create_app(lambda: engine, lambda: store, plan_document.plan)
    engine.dispose()


def test_docs_assets_are_local_compressed_and_cached(api) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(api)
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "http" not in page.text.replace("http-equiv", "")  # nothing from another host
    bundle = client.get("/docs/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert bundle.status_code == 200 and bundle.headers["content-encoding"] == "gzip"
    assert int(bundle.headers["content-length"]) < 600_000  # ~1.5 MB before compression
    again = client.get(
        "/docs/assets/swagger-ui-bundle.js", headers={"If-None-Match": bundle.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    assert client.get("/docs/assets/../app.py").status_code == 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live(api) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not on PATH; CI installs it")
def test_swagger_ui_draws_every_operation_from_this_server(live: str) -> None:
    from playwright.sync_api import sync_playwright

    hosts: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(live + "/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        operations = page.locator(".opblock").count()
        Path("artifacts/screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="artifacts/screenshots/api-docs.png")
        browser.close()
    assert operations >= 20
    assert hosts == {urlparse(live).netloc}
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_json_answers_are_gzipped_when_the_client_accepts_it(api) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(api)
    packed = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/openapi.json", headers={"Accept-Encoding": "identity"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert packed.json() == plain.json()
    assert int(packed.headers["content-length"]) < len(plain.content) / 4
    assert packed.headers["content-security-policy"] == CSP  # the headers survive compression
