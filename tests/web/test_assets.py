"""Static files: hashed names cached for a year, gzip when accepted, 304 on a matching ETag."""

from __future__ import annotations

import gzip
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from carbonpeak.web.assets import AssetStore, asset_routes, default_assets


def _client(tmp_path: Path) -> tuple[TestClient, AssetStore]:
    (tmp_path / "app.css").write_text("body { color: #111; }\n" * 100, encoding="utf-8")
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    store = AssetStore([(p.name, p) for p in sorted(tmp_path.iterdir())])
    return TestClient(Starlette(routes=asset_routes(store))), store


def test_a_hashed_name_is_immutable_and_compressed(tmp_path: Path) -> None:
    client, store = _client(tmp_path)
    url = store.url("app.css")
    assert url.startswith("/static/app.") and url.endswith(".css") and url != "/static/app.css"
    answer = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["content-encoding"] == "gzip"
    raw = (tmp_path / "app.css").read_bytes()
    assert answer.content == raw  # the client decodes; the wire carried fewer bytes
    assert int(answer.headers["content-length"]) < len(raw) / 5
    assert gzip.decompress(store.by_name["app.css"].gzipped or b"") == raw


def test_the_plain_name_revalidates_and_a_known_etag_is_304(tmp_path: Path) -> None:
    client, _ = _client(tmp_path)
    first = client.get("/static/app.css")
    assert first.headers["cache-control"] == "no-cache"
    again = client.get("/static/app.css", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/static/nothing.css").status_code == 404
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")


def test_the_package_assets_include_plotly() -> None:
    store = default_assets()
    assert {"app.css", "app.js", "favicon.svg", "plotly.min.js"} <= set(store.by_name)
    plotly = store.by_name["plotly.min.js"]
    assert plotly.gzipped is not None and len(plotly.gzipped) < len(plotly.body) / 2
