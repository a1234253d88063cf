"""The disclosure-control rule: the threshold and dominance rules, and complementary suppression
(Hypothesis: the rule's invariants over arbitrary cells and tables)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.factors import load_dataset
from carbonpeak.reports.disclosure import Reason, Thresholds, judge, mark_row, protect

RULE = Thresholds(min_contributors=3, dominance_share=0.85, version="test")
values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
cells = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), values, max_size=12)


def test_the_thresholds_are_the_reference_datas() -> None:
    loaded = Thresholds.load()
    dataset = load_dataset("disclosure_control")
    assert loaded.version == dataset.version == "disclosure_control@2026"
    assert loaded.min_contributors == 3
    assert loaded.dominance_share == pytest.approx(0.85)
    assert "统计法" in dataset.source


@given(cells)
def test_judge_is_the_threshold_then_the_dominance_rule(parts: dict[str, float]) -> None:
    reason = judge(parts, RULE)
    magnitudes = [abs(v) for v in parts.values()]
    if len(parts) < 3:
        assert reason is Reason.few_contributors
    elif sum(magnitudes) > 0 and max(magnitudes) > 0.85 * sum(magnitudes):
        assert reason is Reason.dominance
    else:
        assert reason is None
        # A disclosable cell bounds no enterprise's part within the dominance margin.
        assert all(m <= 0.85 * sum(magnitudes) + 1e-9 * sum(magnitudes) for m in magnitudes)


@given(cells, st.floats(min_value=1e-3, max_value=1e3))
def test_judge_does_not_depend_on_the_unit(parts: dict[str, float], scale: float) -> None:
    scaled = {k: v * scale for k, v in parts.items()}
    ratio_far_from_k = all(
        abs(abs(v) / s - 0.85) > 1e-6
        for s in [sum(abs(x) for x in parts.values())]
        if s > 0
        for v in parts.values()
    )
    if ratio_far_from_k:
        assert judge(scaled, RULE) == judge(parts, RULE)


def test_the_ctl_class_and_a_two_plant_cell() -> None:
    assert judge({"ctl": 8_356_500.0}, RULE) is Reason.few_contributors  # class 2523
    assert judge({"a": 1.0, "b": 1.0}, RULE) is Reason.few_contributors
    assert judge({"big": 86.0, "s1": 7.0, "s2": 7.0}, RULE) is Reason.dominance
    assert judge({"big": 85.0, "s1": 7.5, "s2": 7.5}, RULE) is None  # exactly k: shown
    assert judge({"a": 0.0, "b": 0.0, "c": 0.0}, RULE) is None  # no part: nothing to dominate


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[str, float], dict[str, Reason], list[tuple[str, ...]]]:
    """A table of cells tied by relations (rows of parts with their total, and the columns)."""
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(2, 5))
    grid = {f"r{r}c{c}": draw(values) for r in range(rows) for c in range(columns)}
    relations: list[tuple[str, ...]] = []
    for r in range(rows):
        grid[f"r{r}T"] = sum(grid[f"r{r}c{c}"] for c in range(columns))
        relations.append((f"r{r}T", *(f"r{r}c{c}" for c in range(columns))))
    for c in range(columns):
        grid[f"Tc{c}"] = sum(grid[f"r{r}c{c}"] for r in range(rows))
        relations.append((f"Tc{c}", *(f"r{r}c{c}" for r in range(rows))))
    primary = draw(st.sets(st.sampled_from(sorted(grid)), max_size=3))
    return grid, dict.fromkeys(primary, Reason.dominance), relations


@given(tables())
def test_no_relation_keeps_exactly_one_hidden_cell(
    table: tuple[dict[str, float], dict[str, Reason], list[tuple[str, ...]]],
) -> None:
    grid, primary, relations = table
    hidden = protect(grid, primary, relations)
    assert primary.items() <= hidden.items()  # the primary ones keep their reason
    assert {hidden[k] for k in set(hidden) - set(primary)} <= {Reason.complementary}
    for relation in relations:
        assert sum(cell in hidden for cell in relation) != 1, relation
    assert protect(grid, hidden, relations) == hidden  # nothing more to hide


def test_one_suppressed_sector_takes_the_next_smallest_with_it() -> None:
    grid = {"division": 100.0, "2521": 50.0, "2523": 30.0, "2529": 12.0, "2511": 8.0}
    hidden = protect(grid, {"2523": Reason.few_contributors}, [tuple(grid)])
    assert hidden == {"2523": Reason.few_contributors, "2511": Reason.complementary}


def test_a_zero_or_a_headline_cell_is_hidden_last() -> None:
    row = {"net": 90.0, "combustion": 95.0, "process": 0.0, "indirect": -5.0}
    hidden = protect(row, {"indirect": Reason.dominance}, [tuple(row)])
    assert set(hidden) == {"indirect", "net"}  # not the zero: a zero is easy to guess
    ranked = protect(row, {"indirect": Reason.dominance}, [tuple(row)], rank=lambda c: c == "net")
    assert set(ranked) == {"indirect", "combustion"}


def test_report_rows_in_both_editions() -> None:
    row = {"division": "30", "co2": 68.2}
    names = {"co2": "二氧化碳净排放"}
    assert mark_row(row, {"co2": Reason.few_contributors}, True, names)["co2"] == "保密"
    office = mark_row(row, {"co2": Reason.few_contributors}, False, names)
    assert office["co2"] == 68.2
    assert office["confidential"] == "二氧化碳净排放：企业数少于保密阈值"
    assert mark_row(row, {}, True, names) == row


def test_every_pair_of_two_contributors_is_confidential() -> None:
    for a, b in itertools.product((0.0, 1.0, 1e6), repeat=2):
        assert judge({"a": a, "b": b}, RULE) is Reason.few_contributors
