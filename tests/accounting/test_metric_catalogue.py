"""The metric catalogue is one table (data/accounting/metrics.yaml) that feeds the engine, the
labels and docs/metrics.md: every metric named in Chinese and English, every method real."""

from __future__ import annotations

from pathlib import Path

from carbonpeak.accounting.metrics import (
    ADDITIVE_METRICS,
    CATALOGUE,
    DERIVED,
    METHODS,
    METRICS,
    RATIO_METRICS,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def test_the_engine_metrics_are_the_catalogue() -> None:
    assert list(METRICS) == list(CATALOGUE)
    assert set(ADDITIVE_METRICS) | set(RATIO_METRICS) == set(CATALOGUE)
    for metric in CATALOGUE.values():
        assert metric.kind in ("additive", "ratio"), metric.id
        assert METRICS[metric.id] == (metric.unit, metric.description)


def test_every_metric_has_chinese_and_english_names() -> None:
    for metric in CATALOGUE.values():
        assert metric.zh and any("\u4e00" <= c <= "\u9fff" for c in metric.zh), metric.id
        assert metric.en and metric.en.isascii(), metric.id


def test_every_method_is_a_rule_or_a_derivation_the_engine_runs() -> None:
    derived = dict(DERIVED)
    for metric in CATALOGUE.values():
        if metric.id in derived:
            assert metric.method.startswith("derived:"), metric.id
            continue
        if metric.kind == "ratio" or metric.method == "as reported":
            continue
        rules = [part.strip() for part in metric.method.split(",")]
        assert all(rule in METHODS for rule in rules), (metric.id, metric.method)


def test_docs_list_every_metric() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [m.id for m in CATALOGUE.values() if f"`{m.id}`" not in text or m.zh not in text]
    assert not missing, (
        f"run PYTHONPATH=src python scripts/docs.py: docs/metrics.md lacks {missing}"
    )
