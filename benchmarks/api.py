"""Dashboard and API latency under 50 concurrent clients, on the demo base.

    .venv/bin/python benchmarks/api.py [--clients 50] [--requests 2000] [--data-dir DIR]
        [--wrk 10] [--workers 1] [--gzip] [--must-show]

1. Loads the synthetic demo base into DIR (a new temporary directory by default; a directory
   that already holds it is reused) and creates an account with a session and an API token.
2. Starts `carbonpeak serve --workers N` (uvicorn) on a free port, as the README's main job does.
   With `wrk` installed (Debian package `wrk`), drives each path with it for ``--wrk`` seconds
   and 50 connections, then the baseline below the same way, and reports requests per second,
   p50/p90/p99 and the ratio per path: a C client, so the server is what is measured. wrk sends
   the request line, Host, Authorization (the token), Accept and Cookie (one signed-in session
   of the office for every connection); Accept-Encoding only with ``--gzip``.
3. 50 clients (asyncio, httpx2) share the requests round-robin over the endpoints: the overview
   page and /api/v1/tracking, an enterprise's page and its monthly accounts and registry entry.
   Reports p50, p95 and p99 latency and requests per second, per endpoint and in all
   (``--requests 0``: skipped; this client is its own ceiling).
4. Baseline, in the same run: a bare Starlette app under uvicorn with the same number of worker
   processes that returns the same bytes with the same response headers for the same paths
   (gzip made once at start and sent when the client accepts it, as carbonpeak keeps it), the
   floor of serving them over HTTP with this stack, measured the same way. Reports carbonpeak /
   baseline for p50, p95 and requests per second, and the load average after each wrk series.

Upload load (``--uploads 60``): instead of 3–4, for that many seconds 50 clients
(``--upload-clients``) upload monthly reports (amendments of the demo's reports with a reason,
each with new content, so each is a write and an audit entry), and the office accepts a tenth of
them (``--accept-share``: each acceptance changes the accounts, so the snapshot is rebuilt),
while 10 readers (``--readers``) fetch the overview page and /api/v1/tracking. Reports the
uploads and reviews and their status codes (any 5xx is a failure), the readers' p50, p95 and
p99, and then runs `carbonpeak audit verify` on the store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx  # the dev dependency (pyproject.toml); httpx itself is not installed
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

console = Console(width=150)
PASSWORD = "benchmark-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def carbonpeak(data_dir: Path, *args: str, stdin: str | None = None) -> str:
    environment = {**os.environ, "CARBONPEAK_DATA_DIR": str(data_dir)}
    environment.pop("CARBONPEAK_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "carbonpeak.cli", *args],
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def sign_in(url: str) -> dict[str, str]:
    with httpx.Client(base_url=url) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        client.post(
            "/login",
            data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        return {"cp_session": client.cookies["cp_session"]}


async def load(
    url: str,
    paths: list[str],
    clients: int,
    total: int,
    headers: dict[str, str],
    cookies: dict[str, str],
    label: str,
) -> tuple[dict[str, list[float]], float]:
    """Each of ``clients`` workers takes the next request until ``total`` are done."""
    latencies: dict[str, list[float]] = {path: [] for path in paths}
    retries: list[str] = []
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, cookies=cookies, limits=limits, timeout=120
    ) as client:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(label, total=total)

            async def worker() -> None:
                for number in counter:
                    path = paths[number % len(paths)]
                    started = time.perf_counter()
                    try:
                        response = await client.get(path)
                    except httpx.TransportError:
                        # A kept-alive connection the server had just closed: retried once, and
                        # counted, with the retry's time included.
                        retries.append(path)
                        response = await client.get(path)
                    latencies[path].append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
                    progress.advance(task)

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(clients)))
            elapsed = time.perf_counter() - started
    if retries:
        console.print(f"{label}: {len(retries)} requests retried after a dropped connection")
    return latencies, elapsed


# ``--unique-query``: each request adds ?n=<thread>-<count>, which the routes ignore, so every
# request goes through the app (routing, cached principal, the kept page with the user's
# fragments) as a crowd of callers asking once each would; the baseline ignores it too.
UNIQUE_QUERY_LUA = """
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  local separator = wrk.path:find("?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "n=" .. prefix .. "-" .. counter)
end
"""

WRK_LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_SCALE = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(
    url: str, path: str, headers: dict[str, str], cookies: dict[str, str], args: Any
) -> dict[str, float] | None:
    """``wrk`` (a C load generator, so the client is not the bottleneck) against one path:
    requests per second and the p50/p90/p99 latency in ms; None when wrk is not installed."""
    binary = shutil.which("wrk")
    if binary is None or not args.wrk:
        return None
    header_args = [f"{k}: {v}" for k, v in headers.items()]
    if cookies:
        header_args.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    script = []
    if args.unique_query:  # every request its own URL: no kept answer ever matches
        script_file = Path(tempfile.mkdtemp(prefix="carbonpeak-wrk-")) / "unique.lua"
        script_file.write_text(UNIQUE_QUERY_LUA, encoding="utf-8")
        script = ["-s", str(script_file)]
    done = subprocess.run(
        [
            binary,
            f"-t{args.wrk_threads}",
            f"-c{args.clients}",
            f"-d{args.wrk}s",
            "--latency",
            *script,
            *(part for header in header_args for part in ("-H", header)),
            url + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    result = {"rps": float(rate.group(1)) if rate else float("nan")}
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    # Bytes per response (headers included): shows both servers send the same answer.
    moved = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", done.stdout)
    scale = {"B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30}
    if moved and result["rps"]:
        result["bytes"] = float(moved.group(1)) * scale[moved.group(2)] / result["rps"]
    for share, value, unit in WRK_LATENCY.findall(done.stdout):
        result[f"p{share}"] = float(value) * WRK_SCALE[unit]
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


BASELINE_APP = textwrap.dedent(
    """
    import gzip, json
    from pathlib import Path
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    # path -> [body, headers]: carbonpeak's answer (its security headers included), served as
    # it is; gzip made once at start, when a client accepts it (as carbonpeak keeps it).
    bodies = json.loads(Path(__file__).with_name("bodies.json").read_text())
    plain = {p: (b.encode(), h) for p, (b, h) in bodies.items()}
    packed = {p: gzip.compress(b, 6, mtime=0) for p, (b, _) in plain.items()}

    async def serve(request):
        path = request.url.path + ("?" + request.url.query if request.url.query else "")
        if path not in plain:  # --unique-query: the same answer whatever n= says
            path = path.split("?n=")[0].split("&n=")[0]
        body, headers = plain[path]
        headers = dict(headers)
        if "gzip" in request.headers.get("accept-encoding", "") and len(body) >= 1000:
            body = packed[path]
            headers["content-encoding"] = "gzip"
        return Response(body, headers=headers)

    async def health(request):
        return Response(b'{"status":"ok"}', media_type="application/json")

    routes = [Route("/api/v1/health", health)]
    app = Starlette(routes=routes)
    app.add_route("/{rest:path}", serve)
    """
)

# Response headers the baseline repeats (not the framing ones its server writes itself).
FRAMING = {"content-length", "content-encoding", "date", "server", "transfer-encoding"}


_office_engine: list[Any] = []


def office_accepts(submission_id: int) -> str:
    from carbonpeak.services.submissions import SubmissionError, review
    from carbonpeak.storage import make_engine

    if not _office_engine:
        _office_engine.append(make_engine())
    try:
        review(_office_engine[0], submission_id, accept=True, actor="office (benchmark)")
    except SubmissionError:
        return "already reviewed"
    return "accepted"


async def upload_load(
    url: str,
    headers: dict[str, str],
    cookies: dict[str, str],
    enterprises: list[tuple[str, str]],
    seconds: float,
    uploaders: int,
    readers: int,
    accept_share: float,
) -> tuple[dict[int, int], dict[str, list[float]], list[float], dict[str, int]]:
    """Uploads and reads at once for ``seconds``: (upload status counts, read latencies by path,
    upload latencies, review status counts)."""
    statuses: dict[int, int] = {}
    reviews: dict[str, int] = {}
    upload_times: list[float] = []
    paths = ["/", "/api/v1/tracking"]
    latencies: dict[str, list[float]] = {path: [] for path in paths}
    limits = httpx.Limits(max_connections=uploaders + readers)
    deadline = time.perf_counter() + seconds
    generator = random.Random(2026)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, cookies=cookies, limits=limits, timeout=300
    ) as client:

        async def uploader() -> None:
            while time.perf_counter() < deadline:
                code, sector = generator.choice(enterprises)
                period = f"{generator.randint(2021, 2023)}-{generator.randint(1, 12):02d}"
                quantity = generator.randint(1000, 99999)
                body = (
                    "enterprise,facility,sector,period,item,role,quantity,unit\n"
                    f"{code},benchmark,{sector},{period},bituminous_coal,energy_input,"
                    f"{quantity},t\n"
                )
                started = time.perf_counter()
                try:
                    response = await client.post(
                        "/api/v1/submissions",
                        params={"reason": "benchmark load"},
                        files={"file": (f"{code}-{period}.csv", body, "text/csv")},
                    )
                    status = response.status_code
                except httpx.TransportError:
                    status = 0  # counted as a failure: the server dropped the connection
                upload_times.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201 and generator.random() < accept_share:
                    await accept(code, period)

        async def accept(code: str, period: str) -> None:
            """The office accepts the report just uploaded: the accounts change, and the
            snapshot must be rebuilt."""
            listing = await client.get(
                "/api/v1/submissions",
                params={"enterprise": code, "period": period, "state": "submitted"},
            )
            for item in listing.json().get("items", [])[:1]:
                # As `carbonpeak review ID --accept` does (a process of its own writing to the
                # same store); the API's review takes the same path.
                outcome = await asyncio.to_thread(office_accepts, int(item["id"]))
                reviews[outcome] = reviews.get(outcome, 0) + 1

        async def reader(offset: int) -> None:
            number = offset
            while time.perf_counter() < deadline:
                path = paths[number % len(paths)]
                number += 1
                started = time.perf_counter()
                response = await client.get(path)
                latencies[path].append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")

        await asyncio.gather(
            *(uploader() for _ in range(uploaders)), *(reader(n) for n in range(readers))
        )
    return statuses, latencies, upload_times, reviews


def run_upload_load(
    data_dir: Path, url: str, headers: dict[str, str], cookies: dict[str, str], args: Any
) -> None:
    listing = carbonpeak(data_dir, "enterprises", "--format", "csv").splitlines()
    columns = listing[0].split(",")
    rows = [dict(zip(columns, line.split(","), strict=False)) for line in listing[1:]]
    enterprises = [(row[columns[0]], row["sector"]) for row in rows]
    os.environ["CARBONPEAK_DATA_DIR"] = str(data_dir)  # the office's reviews write there
    os.environ.pop("CARBONPEAK_DATABASE_URL", None)
    statuses, latencies, upload_times, reviews = asyncio.run(
        upload_load(
            url,
            headers,
            cookies,
            enterprises,
            args.uploads,
            args.upload_clients,
            args.readers,
            args.accept_share,
        )
    )
    table = Table(
        title=f"{args.upload_clients} clients uploading for {args.uploads} s, "
        f"{args.readers} readers"
    )
    for column in ("endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="right" if column != "endpoint" else "left")
    for path, values in [*latencies.items(), ("POST /api/v1/submissions", upload_times)]:
        table.add_row(
            path,
            str(len(values)),
            f"{1000 * percentile(values, 0.5):.1f}",
            f"{1000 * percentile(values, 0.95):.1f}",
            f"{1000 * percentile(values, 0.99):.1f}",
            f"{1000 * max(values):.1f}",
        )
    console.print(table)
    failures = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
    console.print(f"reviews (accepting uploads): {dict(sorted(reviews.items()))}")
    console.print(
        f"upload status codes: {dict(sorted(statuses.items()))}; 5xx or dropped: {failures}"
    )
    environment = {**os.environ, "CARBONPEAK_DATA_DIR": str(data_dir)}
    environment.pop("CARBONPEAK_DATABASE_URL", None)
    verify = subprocess.run(
        [sys.executable, "-m", "carbonpeak.cli", "audit", "verify"],
        env=environment,
        capture_output=True,
        text=True,
    )
    output = (verify.stdout + verify.stderr).strip().splitlines()
    broken = sum(line.startswith("✗") for line in output)
    console.print(
        f"audit verify: exit {verify.returncode}, {broken} problem lines; "
        f"{output[-1] if output else ''}",
        highlight=False,
        soft_wrap=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--requests", type=int, default=2000, help="the Python client's requests (0: none)"
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--wrk", type=int, default=10, help="seconds of wrk per path (0: the Python client only)"
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes, carbonpeak's and the baseline's"
    )
    parser.add_argument(
        "--gzip", action="store_true", help="send Accept-Encoding: gzip (both servers compress)"
    )
    parser.add_argument(
        "--must-show", action="store_true", help="only the overview and /api/v1/tracking"
    )
    parser.add_argument(
        "--unique-query",
        action="store_true",
        help="wrk adds a unique ?n= to every request: no kept answer is reused",
    )
    parser.add_argument("--uploads", type=float, default=0, help="seconds of upload load")
    parser.add_argument("--upload-clients", type=int, default=50)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument(
        "--accept-share", type=float, default=0.1, help="share of uploads the office accepts"
    )
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="carbonpeak-bench-"))
    console.print(f"data directory {data_dir}")
    started = time.perf_counter()
    if "bench" not in carbonpeak(data_dir, "user", "list", "--format", "csv"):
        carbonpeak(data_dir, "demo")
        carbonpeak(
            data_dir,
            "user",
            "add",
            "bench",
            "--role",
            "admin",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
    token = carbonpeak(data_dir, "user", "token", "bench", "--client", "benchmark").strip()
    enterprise = (
        carbonpeak(data_dir, "enterprises", "--format", "csv").splitlines()[1].split(",")[0]
    )
    console.print(
        f"demo base ready in {time.perf_counter() - started:.1f} s; enterprise {enterprise}"
    )

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = data_dir / "benchmark-server.log"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "carbonpeak.cli", "serve"),
            *("--port", str(port), "--workers", str(args.workers)),
        ],
        env={**os.environ, "CARBONPEAK_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=server_log.open("w"),
    )
    paths = [
        "/",
        "/api/v1/tracking",
        f"/enterprises/{enterprise}",
        f"/api/v1/enterprises/{enterprise}/accounts?frequency=month",
        f"/api/v1/enterprises/{enterprise}",
    ][: 2 if args.must_show else None]
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/html,application/json"}
    if args.gzip:
        headers["Accept-Encoding"] = "gzip"
    # What wrk sends: its request line, Host, and these headers (no Accept-Encoding unless
    # --gzip: then both servers answer gzip; without it both answer identity).
    console.print(f"wrk request headers: Host, {', '.join(headers)}, Cookie (the session)")
    try:
        wait_until_up(url, server)
        cookies = sign_in(url)
        bodies = {}
        plain_headers = {k: v for k, v in headers.items() if k != "Accept-Encoding"}
        with httpx.Client(
            base_url=url, headers=plain_headers, cookies=cookies, timeout=120
        ) as client:
            for path in paths:  # warm-up: the first request builds the snapshot (each worker)
                for _ in range(10 * args.workers):
                    response = client.get(path)
                    response.raise_for_status()
                kept = {k: v for k, v in response.headers.items() if k.lower() not in FRAMING}
                bodies[path] = [response.text, kept]
        if args.uploads:
            run_upload_load(data_dir, url, headers, cookies, args)
            return
        wrk_ours = {path: wrk(url, path, headers, cookies, args) for path in paths}
        load_ours = os.getloadavg()
        measured, elapsed = (
            asyncio.run(
                load(url, paths, args.clients, args.requests, headers, cookies, "carbonpeak")
            )
            if args.requests
            else ({}, 0.0)
        )
    except RuntimeError:
        console.print(server_log.read_text(encoding="utf-8")[-3000:])
        raise
    finally:
        server.kill()
        server.wait(10)

    folder = Path(tempfile.mkdtemp(prefix="carbonpeak-baseline-"))
    (folder / "bodies.json").write_text(__import__("json").dumps(bodies), encoding="utf-8")
    (folder / "baseline_app.py").write_text(BASELINE_APP, encoding="utf-8")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The same server (uvicorn, the same number of worker processes) as `carbonpeak serve`.
    baseline_server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "baseline_app:app", "--app-dir", str(folder)),
            *("--port", str(port), "--workers", str(args.workers), "--log-level", "warning"),
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    floor_headers = {k: v for k, v in headers.items() if k == "Accept-Encoding"}
    try:
        wait_until_up(base_url, baseline_server)
        wrk_floor = {path: wrk(base_url, path, floor_headers, {}, args) for path in paths}
        load_floor = os.getloadavg()
        baseline, baseline_elapsed = (
            asyncio.run(load(base_url, paths, args.clients, args.requests, {}, {}, "baseline"))
            if args.requests
            else ({}, 0.0)
        )
    finally:
        baseline_server.kill()
        baseline_server.wait(10)

    console.print(
        f"load average (1, 5, 15 min) after carbonpeak's wrk runs {load_ours}, after the "
        f"baseline's {load_floor}; {args.workers} worker(s) each"
    )
    if all(wrk_ours.values()) and all(wrk_floor.values()):
        report_wrk(paths, wrk_ours, wrk_floor, args)
    else:
        console.print("wrk not installed (apt-get install wrk): the Python client's figures only")
    if not args.requests:
        return
    table = Table(title=f"{args.requests} requests, {args.clients} concurrent clients")
    for column in (
        "endpoint",
        "bytes",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "baseline p50 ms",
        "baseline p95 ms",
    ):
        table.add_column(column, justify="right" if column != "endpoint" else "left")
    for path in paths:
        values, floor = measured[path], baseline[path]
        table.add_row(
            path,
            f"{len(bodies[path][0].encode()):,}",
            f"{1000 * percentile(values, 0.5):.1f}",
            f"{1000 * percentile(values, 0.95):.1f}",
            f"{1000 * percentile(values, 0.99):.1f}",
            f"{1000 * percentile(floor, 0.5):.1f}",
            f"{1000 * percentile(floor, 0.95):.1f}",
        )
    console.print(table)
    everything = [v for values in measured.values() for v in values]
    floor_all = [v for values in baseline.values() for v in values]
    rps, floor_rps = args.requests / elapsed, args.requests / baseline_elapsed
    console.print(
        f"carbonpeak: p50 {1000 * statistics.median(everything):.1f} ms, "
        f"p95 {1000 * percentile(everything, 0.95):.1f} ms, {rps:.1f} requests/s\n"
        f"baseline (same bytes, bare Starlette): p50 {1000 * statistics.median(floor_all):.1f} ms, "
        f"p95 {1000 * percentile(floor_all, 0.95):.1f} ms, {floor_rps:.1f} requests/s\n"
        "ratio carbonpeak/baseline (the Python client, itself the ceiling of both): "
        f"p50 {statistics.median(everything) / statistics.median(floor_all):.2f}, "
        f"p95 {percentile(everything, 0.95) / percentile(floor_all, 0.95):.2f}, "
        f"requests/s {rps / floor_rps:.2f}"
    )


def report_wrk(
    paths: list[str], ours: dict[str, Any], floor: dict[str, Any], args: argparse.Namespace
) -> None:
    table = Table(
        title=f"wrk, {args.clients} connections, {args.wrk} s per path, server and client on "
        "the same machine"
    )
    for column in (
        "endpoint",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "non-2xx",
        "bytes/resp",
        "baseline req/s",
        "baseline bytes/resp",
        "baseline p50 ms",
        "baseline p99 ms",
        "ratio req/s",
    ):
        table.add_column(column, justify="right" if column != "endpoint" else "left")
    for path in paths:
        a, b = ours[path], floor[path]
        table.add_row(
            path,
            f"{a['rps']:,.0f}",
            f"{a.get('p50', float('nan')):.1f}",
            f"{a.get('p90', float('nan')):.1f}",
            f"{a.get('p99', float('nan')):.1f}",
            f"{a['non_2xx']:.0f}",
            f"{a.get('bytes', float('nan')):,.0f}",
            f"{b['rps']:,.0f}",
            f"{b.get('bytes', float('nan')):,.0f}",
            f"{b.get('p50', float('nan')):.1f}",
            f"{b.get('p99', float('nan')):.1f}",
            f"{a['rps'] / b['rps']:.3f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
