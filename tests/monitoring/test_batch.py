"""Batches validated column-wise (monitoring.batch) give the rows and problems the record-wise
rules give, for any batch; conversion factors are cached per unit pair."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import hypothesis.strategies as st
import numpy as np
import pandas as pd
from hypothesis import given, settings

from carbonpeak.accounting import items
from carbonpeak.datafile import Problem
from carbonpeak.monitoring import READING_COLUMNS, Meter, parse_readings
from carbonpeak.monitoring.batch import conversion_factor
from carbonpeak.monitoring.readings import FUTURE_TOLERANCE, _parse_one

METERS = {
    "m1": Meter("m1", "E1", "electricity", 15, 10.0, "2026-12-31"),
    "m2": Meter("m2", "E1", "bituminous_coal", 15, 5.0, "2026-09-30", "2026-10-01"),
    "m3": Meter("m3", "E2", "natural_gas", 15, 5.0, "2026-09-30"),
}
NOW = datetime(2026, 11, 1, 12, 0)


def record_wise(records: list[Any], enterprise: str | None) -> tuple[pd.DataFrame, list[Problem]]:
    """The rules one record at a time, as parse_readings ran them before batches."""
    rows, problems = [], []
    catalogue = items()
    for index, record in enumerate(records):
        where = f"reading {index + 1}"
        try:
            outcome = _parse_one(
                record, METERS, catalogue, NOW + FUTURE_TOLERANCE, enterprise, where
            )
        except Exception as exc:
            outcome = Problem(where, f"malformed reading: {type(exc).__name__}", found=record)
        (problems if isinstance(outcome, Problem) else rows).append(outcome)
    frame = pd.DataFrame(rows, columns=READING_COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"]).astype("datetime64[us]")
    frame["value"] = frame["value"].astype(float)
    return frame, problems


stamps = st.one_of(
    st.datetimes(datetime(990, 1, 1), datetime(2027, 1, 1)).map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "2026-10-01T00:15:00+08:00",
            "2026-10-01T00:15:00Z",
            "2026-09-30T23:59:00",
            "2026-11-01T12:05:00",
            "2026-11-01T12:05:01",
            "2026-10-31T23:00:00-05:00",
            "yesterday",
            "",
            "2026-10-01 00:15:00",
            "2026-10-01T24:00:00",
            "2026-02-30T00:00:00",
            "2026-10-01T00:00:60",
            "1991-07-01T12:00:00+08:00",
            "1992-07-01T12:00:00+08:00",
            "2026-10-01T00:15:00\x00\x00\x00\x00\x00\x00",
            "2026-10-01T00:15:00+0800",
            "2026-10-01T00:15:00.123456",
            "２０２６-10-01T00:15:00",
            "2026-10-01T00:15:00+08:30",
        ]
    ),
    st.integers(),
    st.none(),
)
values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**70), 2**70),
    st.sampled_from([True, "1", None, 1e308, -0.0]),
)
units = st.one_of(
    st.sampled_from(["kWh", "MWh", "GWh", "t", "kt", "m3", "万m3", "", "degC", "kWh/", "%"]),
    st.none(),
    st.integers(0, 1),
)
records = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "meter": st.sampled_from(["m1", "m2", "m3", "m9", 1]),
                "ts": stamps,
                "value": values,
            },
            optional={"unit": units},
        ),
        st.sampled_from([None, [], "m1", 3]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(batch=records, enterprise=st.sampled_from([None, "E1"]))
def test_column_wise_batches_equal_record_wise_rules(
    batch: list[Any], enterprise: str | None
) -> None:
    expected_frame, expected_problems = record_wise(batch, enterprise)
    frame, problems = parse_readings(batch, METERS, now=NOW, enterprise=enterprise)
    assert problems == expected_problems
    assert list(frame.columns) == list(expected_frame.columns)
    for column in ("meter", "enterprise", "item", "ts", "unit", "month"):
        assert frame[column].tolist() == expected_frame[column].tolist(), column
    # A cached factor times the value, or pint's conversion of the value: equal to rounding.
    np.testing.assert_allclose(frame["value"], expected_frame["value"], rtol=1e-15, atol=0)


def test_factors_are_cached_per_unit_pair() -> None:
    conversion_factor.cache_clear()
    frame, problems = parse_readings(
        [
            {"meter": "m1", "ts": f"2026-10-01T00:{15 * i:02d}:00", "value": 250, "unit": "kWh"}
            for i in range(4)
        ],
        METERS,
        now=NOW,
    )
    assert problems == []
    assert frame["value"].tolist() == [0.25] * 4
    info = conversion_factor.cache_info()
    assert (info.misses, info.hits) == (1, 3)
    assert conversion_factor("degC", "K") is None  # an offset, not a factor: record-wise
