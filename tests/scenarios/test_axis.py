"""The projection on the division axis (scenarios/axis.py): units sharing a division's draws and
floor are computed as one class, with the per-unit loop's results; draws that differ between
units of a division (made by hand) keep the units apart."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from carbonpeak.scenarios import load_scenario, project, project_loop, sample
from carbonpeak.scenarios.axis import on_division_axis
from tests.scenarios.test_engine import make_base


def enterprise_base():  # type: ignore[no-untyped-def]
    """make_base's five divisions as seven enterprises: division 26 split in three (one with
    its own benchmark floor), division 44 in two."""
    base = make_base()
    split = [0, 1, 1, 1, 2, 3, 4, 4]
    shares = np.array([1.0, 0.5, 0.3, 0.2, 1.0, 1.0, 0.6, 0.4])
    arrays = {
        name: getattr(base, name)[split] * shares
        for name in (
            "energy_tce",
            "combustion_co2_t",
            "process_co2_t",
            "heat_co2_t",
            "bought_mwh",
            "own_generation_mwh",
            "green_mwh",
            "fossil_supplied_mwh",
            "delivered_mwh",
            "coal_t",
        )
    }
    units = tuple(f"E{i}" for i in range(len(split)))
    return replace(
        base,
        divisions=tuple(base.divisions[i] for i in split),
        units=units,
        unit_floor={"E3": 0.93},
        benchmark_floor=dict.fromkeys(base.divisions, 0.9),
        **arrays,
    )


def test_units_of_a_division_are_one_class_with_the_loop_results() -> None:
    scenario = load_scenario("policy")
    base = enterprise_base()
    draws = sample(scenario, base, 40, seed=5)
    reduced, _ = on_division_axis(scenario, base, draws)
    # Division 26's floor is the benchmark, and E3 has its own: 26 keeps two classes.
    assert scenario.sector("26").intensity_floor == "benchmark"
    assert reduced.unit_names == ("E0", "E1", "E3", "E4", "E5", "E6")
    fast = project(scenario, base, draws)
    slow = project_loop(scenario, base, draws)
    for indicator in ("co2_emissions", "energy_consumption", "non_fossil_share"):
        np.testing.assert_allclose(fast.values[indicator], slow[indicator], rtol=1e-10)


def test_hand_made_draws_that_differ_within_a_division_keep_the_units() -> None:
    scenario = load_scenario("policy")
    base = enterprise_base()
    draws = sample(scenario, base, 10, seed=5)
    growth = draws.output_growth.copy()
    growth[:, 2] += 0.01  # E2 grows faster than E1, its division's other unit
    draws = replace(draws, output_growth=growth)
    reduced, same = on_division_axis(scenario, base, draws)
    assert reduced is base and same is draws
    fast = project(scenario, base, draws)
    slow = project_loop(scenario, base, draws)
    np.testing.assert_allclose(fast.values["co2_emissions"], slow["co2_emissions"], rtol=1e-10)
