"""The packaged Ningdong plan against the plan as issued (the seed)."""

import re

import pytest

from carbonpeak.plan import Measure, PlanDocument, compact, target_rows, task_rows
from carbonpeak.units import annualised_unit, parse_stated_quantity, to_magnitude
from tests.conftest import SHARED_SEED


def test_packaged_source_is_the_seed(plan_document: PlanDocument) -> None:
    if not SHARED_SEED.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    assert plan_document.source_text == SHARED_SEED.read_text(encoding="utf-8")


def test_at_least_forty_quantitative_targets_each_with_a_clause(
    plan_document: PlanDocument,
) -> None:
    targets = plan_document.plan.targets
    assert len(targets) >= 40
    assert all(re.fullmatch(r"[二三](\(.+\)\d*)?", t.clause) for t in targets)
    assert len({t.id for t in targets}) == len(targets)


def test_every_target_value_is_in_its_quote_and_the_quote_is_in_the_seed(
    plan_document: PlanDocument, seed_text: str
) -> None:
    seed = compact(seed_text)
    for target in plan_document.plan.targets:
        assert compact(target.quote) in seed, target.id
        assert compact(target.stated) in compact(target.quote), target.id
        for restatement in target.restated_in:
            assert compact(restatement.quote) in seed, (target.id, restatement.clause)
        if target.value_reference is None:
            value, unit = parse_stated_quantity(target.stated)
            unit = annualised_unit(unit, target.unit)  # "8万吨" of a capacity is per year
            assert to_magnitude(float(value), unit, target.unit) == pytest.approx(target.value)
            # The number as written appears in the clause text (百万 and 全部 are words).
            number = f"{target.value:g}"
            assert number in target.quote or target.stated in {"百万吨", "全部"}, target.id


def test_the_clause_of_each_target_is_the_part_of_the_seed_that_says_it(
    plan_document: PlanDocument, seed_text: str
) -> None:
    # Find each quote's position and check it lies in the section its clause names.
    seed = compact(seed_text)
    starts = {
        "二": seed.index("二、主要目标"),
        "三": seed.index("三、重点任务"),
        "四": seed.index("四、开放合作"),
    }
    for target in plan_document.plan.targets:
        position = seed.index(compact(target.quote))
        section = target.clause[0]
        following = {"二": "三", "三": "四"}[section]
        assert starts[section] < position < starts[following], target.id
        if "(" in target.clause and section == "三":
            action_heading = target.clause[1:4]  # "(一)"
            heading = action_heading.replace("(", "（").replace(")", "）")
            assert seed.rfind(heading, 0, position) > starts["三"], target.id


def test_relative_targets_have_a_baseline(plan_document: PlanDocument) -> None:
    relative = [t for t in plan_document.plan.targets if t.measure is not Measure.level]
    assert {t.id for t in relative} >= {
        "energy_intensity_gdp_2025",
        "co2_intensity_gdp_2025",
        "industrial_energy_intensity_2025",
    }
    for target in relative:
        assert target.baseline_year == 2020
        assert target.baseline_stated == ("2020" in target.quote or "累计" in target.quote)


def test_responsible_units_match_the_seed_lists(
    plan_document: PlanDocument, seed_text: str
) -> None:
    # Every "（责任单位：…）" of the seed, in order, is exactly one task's list, lead first.
    seed = compact(seed_text)
    lists = [re.split("[、，]", group) for group in re.findall(r"（责任单位：(.+?)）", seed)]
    tasks = [task for _, task in plan_document.plan.tasks()]
    assert len(lists) == len(tasks) == 35
    for written, task in zip(lists, tasks, strict=True):
        assert list(task.responsible_units) == written, task.id


def test_strive_targets_are_the_ones_worded_zhengqu(plan_document: PlanDocument) -> None:
    for target in plan_document.plan.targets:
        assert (target.strength.value == "strive") == ("力争" in target.quote), target.id


def test_economic_development_bureau_tasks(plan_document: PlanDocument) -> None:
    rows = task_rows(plan_document.plan, "经济发展局")
    ids = [row["id"] for row in rows]
    assert "三(一)1" in ids and "五(四)" in ids
    assert "三(二)4" not in ids  # 科技和信息化局、宁东科创公司 only
    assert {row["role"] for row in rows if row["id"] == "三(六)2"} == {"participant"}
    assert all(row["action"] for row in rows)
    by_alias = task_rows(plan_document.plan, "碳达峰碳中和工作领导小组办公室")
    assert [r["id"] for r in by_alias] == ids


def test_target_rows_carry_the_required_fields(plan_document: PlanDocument) -> None:
    required = {
        "id",
        "indicator",
        "name_zh",
        "name_en",
        "year",
        "value",
        "unit",
        "comparator",
        "baseline_year",
        "strength",
        "clause",
        "responsible_units",
    }
    rows = target_rows(plan_document.plan)
    assert all(required <= row.keys() for row in rows)
    assert {row["year"] for row in rows} == {2025, 2030, 2035}
    assert len(target_rows(plan_document.plan, 2030)) == 8
    carbide = next(r for r in rows if r["id"] == "calcium_carbide_unit_energy_2025")
    assert (carbide["value"], carbide["unit"], carbide["stated"]) == (805.0, "kgce/t", "标杆水平")


def test_goals_cover_the_checkable_qualitative_commitments(plan_document: PlanDocument) -> None:
    kinds = {goal.id: goal.kind.value for goal in plan_document.plan.goals}
    assert kinds["carbon_peak_before_2030"] == "peak_by"
    assert kinds["coal_consumption_falls_fyp15"] == "decreasing"
    assert kinds["no_new_aluminium_capacity"] == "no_increase"
    assert kinds["no_new_clinker_capacity"] == "no_increase"
    assert kinds["new_coal_chemical_projects_at_benchmark"] == "new_projects_at_benchmark"
