"""Monte Carlo projection speed: 10,000 trajectories 2020–2035 for the demo base, the vectorised
engine against a plain Python loop over the same model, in the same run.

    .venv/bin/python benchmarks/scenarios.py [--draws 10000] [--scenario policy] [--data-dir DIR]

1. Loads the synthetic demo base into DIR (a new temporary directory by default; reused when it
   is already there) and takes the accounted base year from it.
2. Samples the draws once. Times the vectorised engine (numpy over draws × divisions × years)
   and `project_loop` (one draw, division and year at a time) on the same draws, each followed
   by the peak rule and P(peak ≤ 2030) on its own output (numpy for the first, a Python loop
   for the second). Checks that the engine and the numpy version give the same outputs (all
   eleven indicators and the CO2 per division, 1e-9: both compute all of them), and the loop
   the same trajectories (CO2, energy and the non-fossil share) and probability.
3. Reports both times and the ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.scenarios_numpy

console = Console(width=120)


def python_peaked_by(series: list[list[float]], years: list[int], year: int, tol: float) -> float:
    """The peak rule (docs/scenarios.md), in plain Python: the share of trajectories peaked by
    ``year``. No peak if the maximum is the last year; else the peak year is the first year
    within the tolerance of the maximum."""
    count = 0
    for row in series:
        top = max(range(len(row)), key=lambda i: (row[i], -i))  # the first maximum
        if top == len(row) - 1:
            continue
        first = next(i for i, v in enumerate(row) if v >= row[top] / (1 + tol))
        if years[first] <= year:
            count += 1
    return count / len(series)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--scenario", default="policy")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--skip-loop", action="store_true", help="no plain Python reference")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="carbonpeak-bench-"))
    os.environ["CARBONPEAK_DATA_DIR"] = str(data_dir)
    os.environ.pop("CARBONPEAK_DATABASE_URL", None)

    from carbonpeak.plan import load_plan
    from carbonpeak.scenarios import full_series, load_scenario, peak, project, project_loop, sample
    from carbonpeak.services import dashboard
    from carbonpeak.services.registry import enterprises
    from carbonpeak.services.scenarios import base_year
    from carbonpeak.storage import make_engine, upgrade

    engine = make_engine()
    upgrade(engine)
    if enterprises(engine).empty:
        console.print(f"loading the demo base into {data_dir} …")
        subprocess.run([sys.executable, "-m", "carbonpeak.cli", "demo"], check=True)
    plan = load_plan().plan
    base = base_year(engine, dashboard.snapshot(engine, plan))
    scenario = load_scenario(args.scenario)
    draws = sample(scenario, base, args.draws, seed=1)
    years = [*sorted(y for y in base.history["co2_emissions"]), *range(base.year + 1, 2036)]
    console.print(
        f"{args.draws:,} trajectories, {years[0]}–{years[-1]} ({base.year} the accounted base "
        f"year), {len(base.unit_names)} enterprises in {len(base.division_set)} divisions, "
        f"{len(scenario.projects)} projects, "
        f"scenario {scenario.id}"
    )

    from benchmarks.scenarios_numpy import project_numpy

    def engine_run() -> object:
        return project(scenario, base, draws)

    def numpy_run() -> dict[str, np.ndarray]:
        return project_numpy(scenario, base, draws)

    times: dict[str, list[float]] = {}
    outputs: dict[str, object] = {}
    for name, run in (("engine", engine_run), ("numpy", numpy_run)) * 2:  # first, then warm
        started = time.perf_counter()
        outputs[name] = run()
        times.setdefault(name, []).append(time.perf_counter() - started)
    for name, run in (("engine", engine_run), ("numpy", numpy_run)):  # best of 5 warm calls
        for _ in range(5):
            started = time.perf_counter()
            run()
            times[name][1] = min(times[name][1], time.perf_counter() - started)
    projection: Any = outputs["engine"]
    full_years, co2 = full_series(base, projection, "co2_emissions")
    vectorised_p = peak(co2, full_years, scenario.peak_tolerance).probability_by(2030)
    by_hand: Any = outputs["numpy"]
    # The same outputs on both sides: every indicator and the CO2 per division.
    assert set(by_hand) == {*projection.values, "by_division"}, set(by_hand)
    for indicator in projection.values:
        np.testing.assert_allclose(
            projection.values[indicator], by_hand[indicator], rtol=1e-9, err_msg=indicator
        )
    np.testing.assert_allclose(projection.by_division, by_hand["by_division"], rtol=1e-9)
    engine_first, engine_warm = times["engine"]
    numpy_first, numpy_warm = times["numpy"]
    console.print(
        f"engine project: first {engine_first:.3f} s, warm {engine_warm:.3f} s (best of 5)  ·  "
        f"numpy by hand: first {numpy_first:.3f} s, warm {numpy_warm:.3f} s  ·  ratio "
        f"engine/numpy warm {engine_warm / numpy_warm:.2f}, first {engine_first / numpy_first:.2f}"
        f"; the same {len(projection.values)} indicators and CO2 per division (1e-9), "
        f"P(peak ≤ 2030) = {vectorised_p:.4f}"
    )
    if args.skip_loop:
        return
    started = time.perf_counter()
    loop_values = project_loop(scenario, base, draws)
    rows = loop_values["co2_emissions"]
    history = [base.history["co2_emissions"][y] for y in sorted(base.history["co2_emissions"])]
    loop_p = python_peaked_by(
        [history + row for row in rows], full_years, 2030, scenario.peak_tolerance
    )
    loop = time.perf_counter() - started

    for indicator in ("co2_emissions", "energy_consumption", "non_fossil_share"):
        np.testing.assert_allclose(
            projection.values[indicator], loop_values[indicator], rtol=1e-9, err_msg=indicator
        )
    assert vectorised_p == loop_p, (vectorised_p, loop_p)
    console.print(
        f"plain Python loop: {loop:.2f} s (loop/engine warm {loop / engine_warm:.0f}×); "
        f"same trajectories (1e-9) and P(peak ≤ 2030) = {loop_p:.4f} there too"
    )


if __name__ == "__main__":
    main()
