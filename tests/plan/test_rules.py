"""Each validation rule catches what it is for, and names where."""

from pathlib import Path

import pytest

from carbonpeak.datafile import DataFileError
from carbonpeak.factors import resolve_reference_value
from carbonpeak.plan import Measure, Plan, PlanDocument, load_plan, parse_plan, validate_plan


def problems_of(plan: Plan, document: PlanDocument) -> list[str]:
    return [str(p) for p in validate_plan(plan, document.source_text, resolve_reference_value)]


def with_target(plan: Plan, index: int, **changes: object) -> Plan:
    targets = list(plan.targets)
    targets[index] = targets[index].model_copy(update=changes)
    return plan.model_copy(update={"targets": tuple(targets)})


def test_the_packaged_plan_has_no_problems(plan_document: PlanDocument) -> None:
    assert problems_of(plan_document.plan, plan_document) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"unit": "万t"}, "not the indicator's dimension"),
        ({"unit": "万千瓦时"}, "not the indicator's dimension"),
        ({"unit": "bogus_unit"}, "unknown unit 'bogus_unit'"),
        ({"value": 7000}, "value differs from the stated figure"),
        ({"year": 2050}, "year outside the plan's span"),
        ({"indicator": "nothing"}, "no such indicator"),
        ({"task": "三(十一)1"}, "no such task"),
        ({"stated": "800万千瓦"}, "the stated figure is not in the quote"),
        (
            {"quote": "新能源装机容量超过800万千瓦", "stated": "800万千瓦", "value": 800},
            "quote not found in the plan document",
        ),
        ({"baseline_year": 2020}, "a level target has no baseline"),
    ],
)
def test_target_rules(plan_document: PlanDocument, changes: dict, expected: str) -> None:
    plan = with_target(plan_document.plan, 0, **changes)
    found = problems_of(plan, plan_document)
    assert any(expected in p and "new_energy_capacity_2025" in p for p in found), found


def test_relative_target_needs_a_baseline_before_its_year(plan_document: PlanDocument) -> None:
    index = next(
        i
        for i, t in enumerate(plan_document.plan.targets)
        if t.measure is Measure.reduction_from_baseline
    )
    assert "needs a baseline" in " ".join(
        problems_of(with_target(plan_document.plan, index, baseline_year=None), plan_document)
    )
    assert "baseline is not before the target" in " ".join(
        problems_of(with_target(plan_document.plan, index, baseline_year=2025), plan_document)
    )
    assert "a relative target is a share" in " ".join(
        problems_of(with_target(plan_document.plan, index, unit="tce"), plan_document)
    )


def test_unknown_responsible_unit(plan_document: PlanDocument) -> None:
    plan = plan_document.plan
    action = plan.actions[0]
    task = action.tasks[0].model_copy(update={"responsible_units": ("宁东不存在局",)})
    actions = (action.model_copy(update={"tasks": (task, *action.tasks[1:])}), *plan.actions[1:])
    found = problems_of(plan.model_copy(update={"actions": actions}), plan_document)
    assert any("宁东不存在局" in p and "organisation registry" in p for p in found)


def test_task_outside_its_action(plan_document: PlanDocument) -> None:
    plan = plan_document.plan
    first, second = plan.actions[0], plan.actions[1]
    moved = second.model_copy(update={"tasks": (*second.tasks, first.tasks[-1])})
    kept = first.model_copy(update={"tasks": first.tasks[:-1]})
    found = problems_of(
        plan.model_copy(update={"actions": (kept, moved, *plan.actions[2:])}), plan_document
    )
    assert any("not inside its action" in p for p in found)


def test_reference_value_must_match(plan_document: PlanDocument) -> None:
    index = next(i for i, t in enumerate(plan_document.plan.targets) if t.value_reference)
    found = problems_of(with_target(plan_document.plan, index, value=800), plan_document)
    assert any("expected 805 kgce/t" in p for p in found)


def test_schema_errors_name_the_file_and_the_field(tmp_path: Path) -> None:
    broken = tmp_path / "plan.yaml"
    broken.write_text("format: carbonpeak-plan/1\nplan: {id: X Y}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_plan(broken)
    message = str(caught.value)
    assert str(broken) in message
    assert "plan.id" in message and "organisations" in message


def test_invalid_yaml_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="not valid YAML"):
        parse_plan("targets: [", "x.yaml")


def test_another_plan_loads_from_another_file(tmp_path: Path) -> None:
    # The format is generic: a two-target city plan with no source document.
    (tmp_path / "city.yaml").write_text(CITY_PLAN, encoding="utf-8")
    document = load_plan(tmp_path / "city.yaml")
    assert document.plan.version == "example-city@2024-01"
    assert [t.id for t in document.plan.targets] == ["co2_intensity_2030", "pv_capacity_2025"]


CITY_PLAN = """
format: carbonpeak-plan/1
plan: {id: example-city, version: "2024-01", title_zh: 示例市碳达峰实施方案,
       title_en: Example City carbon-peak plan, issuer_zh: 示例市人民政府,
       issuer_en: Example City government, issued: 2024-01-15, base_year: 2020,
       horizon_year: 2030}
organisations:
  - {id: development_reform, name_zh: 发展改革委, name_en: Development and Reform Commission,
     kind: department}
indicators:
  - {id: co2_intensity, name_zh: 单位GDP二氧化碳排放, name_en: CO2 per unit GDP, unit: tCO2/万元,
     direction: decrease, value_source: accounted}
  - {id: pv_capacity, name_zh: 光伏装机, name_en: PV capacity, unit: MW, direction: increase,
     value_source: reported}
actions:
  - id: 三(一)
    kind: action
    title_zh: 能源转型行动
    title_en: Energy transition
    tasks:
      - {id: 三(一)1, title_zh: 发展光伏, title_en: Build PV, responsible_units: [发展改革委]}
targets:
  - {id: co2_intensity_2030, indicator: co2_intensity, year: 2030,
     measure: reduction_from_baseline, comparator: ge, value: 65, unit: percent,
     baseline_year: 2020, clause: 二, quote: 单位GDP二氧化碳排放比2020年下降65%以上,
     stated: 65%, task: 三(一)1}
  - {id: pv_capacity_2025, indicator: pv_capacity, year: 2025, comparator: ge, value: 500,
     unit: MW, clause: 三(一)1, quote: 光伏装机达到50万千瓦, stated: 50万千瓦, task: 三(一)1}
"""
