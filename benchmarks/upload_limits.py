"""Peak memory of a live server while it refuses uploads meant to exhaust it (issue 13).

Starts `carbonpeak`'s web app under uvicorn on a fresh SQLite store with one enterprise account,
then sends, with that enterprise's token: the 8 KB workbook declaring a cell at XFD1048576, the
same cell without the declaration, and a 200 MB CSV (declared length, and chunked without one).
Prints the server's resident memory before and its peak (VmHWM, from /proc) after each.

    .venv/bin/python benchmarks/upload_limits.py
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PORT = 8765
ROOT = Path(__file__).resolve().parents[1]


def serve(folder: str) -> None:
    import pandas as pd
    import uvicorn

    from carbonpeak.services.accounts import add_user, create_token
    from carbonpeak.services.registry import register_enterprises
    from carbonpeak.storage import TelemetryStore, make_engine, upgrade
    from carbonpeak.web import create_app

    engine = make_engine(f"sqlite:///{folder}/store.sqlite3")
    upgrade(engine)
    register_enterprises(
        engine,
        pd.DataFrame(
            [
                {
                    "id": "E1",
                    "credit_code": "91640000BENCH0001X",
                    "name_zh": "测试企业（合成）",
                    "name_en": "Test enterprise (synthetic)",
                    "sector": "2614",
                    "key_energy_unit": True,
                    "synthetic": True,
                }
            ]
        ),
        pd.DataFrame(
            columns=[
                "enterprise",
                "facility",
                "product",
                "capacity",
                "capacity_unit",
                "commissioned",
            ]
        ),
        "benchmark",
    )
    add_user(engine, "clerk", "0123456789ab", "enterprise", enterprise="E1")
    Path(folder, "token").write_text(create_token(engine, "clerk", "bench", "benchmark"))
    store = TelemetryStore(Path(folder) / "telemetry")
    app = create_app(lambda: engine, lambda: store)
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", proxy_headers=False)


def _memory(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    values = {
        line.split(":")[0]: int(line.split()[1]) // 1024
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return values["VmRSS"], values["VmHWM"]


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "carbonpeakbenchmark"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


def _declared_only(token: str, length: int, boundary: str) -> tuple[int, str]:
    """Send only the headers of a request declaring ``length`` bytes, and read the answer: the
    server refuses from the declaration, before any of the body."""
    import socket

    with socket.create_connection(("127.0.0.1", PORT), timeout=60) as raw:
        raw.sendall(
            (
                "POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {length}\r\n\r\n"
            ).encode()
        )
        answer = raw.recv(65536).decode(errors="replace")
    status = int(answer.split(" ", 2)[1])
    return status, answer.split("\r\n\r\n", 1)[-1][:160]


def _send(token: str, name: str, content: bytes, chunked: bool = False) -> tuple[int, str]:
    body, boundary = _multipart(name, content)
    if not chunked and len(body) > 2**26:
        return _declared_only(token, len(body), boundary)
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    try:
        if chunked:
            chunks = (body[i : i + 1 << 20] for i in range(0, len(body), 1 << 20))
            connection.request("POST", "/api/v1/submissions", chunks, headers, encode_chunked=True)
        else:
            connection.request("POST", "/api/v1/submissions", body, headers)
        response = connection.getresponse()
        return response.status, response.read().decode()[:160]
    except (BrokenPipeError, ConnectionResetError) as exc:
        return 0, f"connection closed by the server while sending ({exc.__class__.__name__})"
    finally:
        connection.close()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.services.test_ingest_malformed import GOOD, HEADER, far_cell

    folder = tempfile.mkdtemp(prefix="carbonpeak-limits-")
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen([sys.executable, __file__, "serve", folder], env=environment)
    try:
        for _ in range(120):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/api/v1/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        token = Path(folder, "token").read_text()
        row = (GOOD[0] + "\n").encode()
        big_csv = (HEADER + "\n").encode() + row * (200 * 2**20 // len(row))
        cases = [
            ("bomb_declared.xlsx", far_cell(declared=True), False),
            ("bomb_undeclared.xlsx", far_cell(declared=False), False),
            ("big.csv (200 MB, Content-Length)", big_csv, False),
            ("big.csv (200 MB, chunked)", big_csv, True),
        ]
        rss, peak = _memory(server.pid)
        print(f"server ready: RSS {rss} MB, peak so far {peak} MB")
        results = []
        for name, content, chunked in cases:
            status, text = _send(token, name.split(" ")[0], content, chunked)
            rss, peak = _memory(server.pid)
            results.append(
                {
                    "case": name,
                    "bytes": len(content),
                    "status": status,
                    "rss_mb": rss,
                    "peak_rss_mb": peak,
                    "answer": text,
                }
            )
            print(json.dumps(results[-1], ensure_ascii=False))
        del big_csv
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        main()
