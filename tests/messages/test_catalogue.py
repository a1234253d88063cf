"""The one message catalogue (issue 16.1): both languages hold the same keys, every text is
there, values are named alike in both, and every key the pages ask for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonpeak.messages import (
    LANGUAGES,
    amount,
    catalogue,
    catalogue_path,
    number,
    placeholders,
    text,
)

TEMPLATES = Path(__file__).parents[2] / "src" / "carbonpeak" / "web" / "templates"
# t('key'), label('key', …) in a template: a key the page shows through the catalogue.
ASKED = re.compile(r"""\b(?:t|label)\(\s*['"]([\w.]+)['"]\s*[,)]""")


def test_both_languages_hold_the_same_keys() -> None:
    zh, en = (set(catalogue(language)) for language in LANGUAGES)
    assert zh - en == set(), "keys with no English text"
    assert en - zh == set(), "keys with no Chinese text"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_written(language: str) -> None:
    assert [key for key, value in catalogue(language).items() if not value.strip()] == []


def test_values_are_named_alike_in_both_languages() -> None:
    zh, en = (catalogue(language) for language in LANGUAGES)
    differ = {k: (placeholders(zh[k]), placeholders(en[k])) for k in zh}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}


def test_every_key_a_template_asks_for_is_in_the_catalogue() -> None:
    asked = {
        (path.relative_to(TEMPLATES).as_posix(), key)
        for path in TEMPLATES.rglob("*.html")
        for key in ASKED.findall(path.read_text(encoding="utf-8"))
    }
    assert asked, "the scan found no keys: the pattern no longer matches the templates"
    assert sorted((p, k) for p, k in asked if k not in catalogue("zh")) == []


def test_a_text_fills_in_its_values_in_its_language() -> None:
    assert text("beijing_time", "zh") == "北京时间"
    assert text("no.such.key", "zh") == "no.such.key"  # a gap shows, and the page walks catch it


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_numbers_never_show_a_float_repr(value: float) -> None:
    for language in LANGUAGES:
        shown = number(value, language, 2)
        assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d{2}", shown), shown
        assert "e" not in amount(value, language).lower()


@given(st.floats(min_value=0, max_value=1e13, allow_nan=False))
def test_wan_and_yi_scale_the_figure_exactly(value: float) -> None:
    shown = amount(value, "zh", 2)
    figure = float(shown.rstrip("万亿").replace(",", ""))
    scale = 1e8 if shown.endswith("亿") else 1e4 if shown.endswith("万") else 1
    assert abs(figure * scale - value) <= 0.005 * scale + 1e-9


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_key_is_written_twice(language: str) -> None:
    # Babel keeps the last of two entries with one key: a merge that doubled an entry would
    # silently pick one text.
    po = Path(__file__).parents[2] / "src" / "carbonpeak" / catalogue_path(language)
    keys = re.findall(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
