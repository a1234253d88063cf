"""An upload problem reads in the page's language; ``str()`` (API, CLI, logs) stays English."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonpeak.accounting import parse_activity
from carbonpeak.datafile import DataFileError
from carbonpeak.messages import render
from carbonpeak.services.registry_fields import check_record


def test_a_registry_field_problem_reads_in_zh_and_en() -> None:
    _, problems = check_record("enterprise", {"code": "E 1", "credit_code": ""}, "form")
    by_field = {p.location.rsplit(" ", 1)[-1]: p for p in problems}
    invalid, missing = by_field["code"], by_field["credit_code"]
    assert (render(invalid.problem, "zh"), render(invalid.problem, "en")) == ("无效", "invalid")
    assert render(invalid.expected, "zh") == "字母、数字或 _ . -（最多 80 个字符）"
    assert (
        str(invalid)
        == "form, field code: invalid (expected letters, digits, _ . - (at most 80), found 'E 1')"
    )
    assert render(missing.problem, "zh") == "缺失" and str(missing).startswith(
        "form, field credit_code: missing"
    )


def test_an_activity_problem_reads_in_zh_and_en() -> None:
    row = {
        "enterprise": "E1",
        "period": "2025-13",
        "item": "raw_coal",
        "role": "energy_input",
        "quantity": "十吨",
        "unit": "t",
    }
    with pytest.raises(DataFileError) as raised:
        parse_activity(pd.DataFrame([row]), "june.csv")
    texts = {str(p.problem): render(p.problem, "zh") for p in raised.value.problems}
    assert texts["not a number"] == "非数值" and texts["not a month"] == "不是有效月份"
    assert "row 2, column quantity: not a number" in str(raised.value)
