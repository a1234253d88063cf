"""The data pages' names and numbers (web/texts.py): every organisation, item, metric, dataset and
scenario assumption the data name has a text in both languages, and a reference value never
reads as a float repr (issue 16.1)."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.text_checks import problems, visible_text

from carbonpeak.accounting.metrics import CATALOGUE
from carbonpeak.messages import has_text
from carbonpeak.plan import PlanDocument
from carbonpeak.scenarios import load_scenario, scenario_ids
from carbonpeak.scenarios.model import IDENTITY, _flatten
from carbonpeak.web.texts import (
    assumption_name,
    item_name,
    metric_name,
    org_name,
    reference_source,
    reference_value,
)

ITEMS = yaml.safe_load(
    resources.files("carbonpeak").joinpath("data/accounting/items.yaml").read_text("utf-8")
)["items"]


def test_every_organisation_of_the_plan_has_a_name_in_both_languages(
    plan_document: PlanDocument,
) -> None:
    for organisation in plan_document.plan.organisations:
        assert has_text(f"org.{organisation.id}"), organisation.id
        assert org_name(organisation.id, "zh") == organisation.name_zh
        assert org_name(organisation.id, "en") == organisation.name_en


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_item_and_metric_has_a_name(language: str) -> None:
    for item in ITEMS:
        expected = item["name_zh"] if language == "zh" else item["name_en"]
        assert item_name(item["key"], language) == expected, item["key"]
    for metric in CATALOGUE.values():
        assert metric_name(metric.id, language) == (metric.zh if language == "zh" else metric.en)
        assert metric.decimals >= 0


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    "source",
    [
        "ndrc_guideline_defaults@2013:bituminous_coal.carbon_content",
        "mee_nbs_electricity@2023:national_excluding_market_non_fossil",
        "cec_supply_coal_rate@2025:supply_coal_rate_2023",
        "process_parameters@2025:pfc_cf4_per_aluminium",
        "gbt2589@2020:gasfield_natural_gas",
        "ndrc_default_heat@2013:purchased_heat",
        "measured ncv",
    ],
)
def test_a_reference_source_reads_without_raw_ids(source: str, language: str) -> None:
    shown = reference_source(source, language)
    assert problems([shown], language) == [], shown


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_assumption_of_the_scenarios_reads(language: str) -> None:
    """Every path of every scenario file names its parts from the catalogue (a project's id is
    shown as code)."""
    for scenario in scenario_ids():
        flat = _flatten(load_scenario(scenario).model_dump(mode="json", exclude=IDENTITY))
        for path in flat:
            shown = visible_text(f"<p>{assumption_name(path, language)}</p>")
            assert problems(shown, language) == [], (scenario, path, shown)


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.sampled_from(["zh", "en"]),
)
def test_a_reference_value_is_never_a_float_repr(value: float, language: str) -> None:
    shown = reference_value(value, language)
    assert problems([shown], language) == [], shown
    assert not re.search(r"e[-+]\d", shown)
