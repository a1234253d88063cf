"""PDF layout: rows never split across pages, wide tables stay on the page, charts drawn from the
table's numbers, and no PDF at all when no Chinese font is installed."""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from carbonpeak.reports import (
    Chart,
    Column,
    Report,
    Section,
    Series,
    Table,
    render_html,
    render_pdf,
)
from carbonpeak.reports.render import CJK_FONTS, embedded_fonts, render_xlsx, table_width
from carbonpeak.reports.svg import line_chart_svg, nice_ticks


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return any(font in listed.stdout for font in CJK_FONTS)


needs_cjk_font = pytest.mark.skipif(
    not _has_cjk_font(), reason="no CJK font installed (fonts-wqy-microhei); CI installs one"
)

TALL_ROWS = tuple(
    {"n": i, "text": "，".join(["多行文本内容用于测试分页"] * (3 + i % 5)), "v": i * 1.5}
    for i in range(60)
)
TALL = Table(
    "分页测试",
    "Page breaks",
    (Column("n", "序号", "No."), Column("text", "说明", "Text"), Column("v", "值", "Value", "t")),
    TALL_ROWS,
)
IDENTIFIER = "ndrc_benchmark@2023:electrolytic_aluminium_between_benchmark_and_baseline_levels"
WIDE = Table(
    "宽表",
    "Wide",
    tuple(Column(f"c{i}", f"列{i}", f"Column {i}") for i in range(7)),
    tuple({f"c{i}": IDENTIFIER for i in range(7)} for _ in range(3)),
)
CHART = Chart(
    "能源消费总量",
    "Energy",
    "万tce",
    ("2020", "2021", "2022"),
    (Series("能源消费量", "energy", (1000.0, 1100.5, None)),),
    "2023年1–11月未画出（不完整年份）",
)


def _layout(report: Report):  # type: ignore[no-untyped-def]
    from weasyprint import HTML

    return HTML(string=render_html(report)).render()


def _descendants(box):  # type: ignore[no-untyped-def]
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _descendants(child)


@needs_cjk_font
def test_no_table_row_is_split_across_pages() -> None:
    from weasyprint.formatting_structure.boxes import TableRowBox

    document = _layout(Report("测试", "Test", "2025", (Section("表", "Table", (), (TALL,)),)))
    assert len(document.pages) > 1
    pages_of_row: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in _descendants(page._page_box):
            if isinstance(box, TableRowBox) and box.element is not None:
                pages_of_row.setdefault(id(box.element), set()).add(number)
    body_rows = list(pages_of_row.values())
    assert len(body_rows) >= len(TALL_ROWS)
    split = [pages for pages in body_rows if len(pages) > 1]
    # The header row repeats on each page by design; every other row sits on one page.
    assert len(split) <= 1, f"{len(split)} rows split across pages"


@needs_cjk_font
def test_a_wide_table_stays_inside_the_page() -> None:
    document = _layout(Report("测试", "Test", "2025", (Section("表", "Table", (), (WIDE,)),)))
    for page in document.pages:
        page_box = page._page_box
        right_edge = page_box.margin_width() - page_box.margin_right
        for box in _descendants(page_box):
            if hasattr(box, "position_x") and hasattr(box, "border_width"):
                assert box.position_x + box.border_width() <= right_edge + 0.5, box


def test_table_width_counts_what_cannot_wrap() -> None:
    assert table_width(WIDE) > table_width(TALL)
    assert table_width(TALL) < 104  # Chinese wraps anywhere: this table fits upright


def test_nice_ticks_cover_the_range() -> None:
    ticks = nice_ticks(0, 1100.5)
    assert ticks[0] <= 0 and ticks[-1] >= 1100.5
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1


def test_the_chart_draws_the_table_numbers_and_skips_missing_values() -> None:
    svg = line_chart_svg(CHART)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == 2  # 2022 has no value
    assert "2021" in svg and "万tce" in svg and "能源消费量" in svg
    html = render_html(Report("测试", "Test", "2025", (Section("图", "Chart", charts=(CHART,)),)))
    assert "<svg" in html and "不完整年份" in html


def test_the_workbook_carries_the_chart_and_its_numbers() -> None:
    book = load_workbook(
        io.BytesIO(
            render_xlsx(Report("测试", "Test", "2025", (Section("图", "C", charts=(CHART,)),)))
        )
    )
    sheet = book["图 能源消费总量"]
    assert [sheet.cell(r, 2).value for r in (3, 4, 5)] == [1000.0, 1100.5, None]
    assert len(sheet._charts) == 1


@needs_cjk_font
def test_the_pdf_embeds_a_chinese_font() -> None:
    pdf = render_pdf(Report("测试报告", "Test", "2025", (Section("概况", "Summary", ("碳达峰",)),)))
    assert any("WenQuanYi" in name or "Noto" in name for name in embedded_fonts(pdf))


def test_without_a_chinese_font_the_pdf_is_an_error(tmp_path: Path) -> None:
    """A machine whose fontconfig sees no CJK font: render_pdf refuses, and the command exits
    non-zero with a message that says what to install."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("no DejaVu fonts to stand for a machine without CJK fonts")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{dejavu}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    script = (
        "from carbonpeak.reports import Report, Section, render_pdf\n"
        "render_pdf(Report('测试报告', 'Test', '2025', (Section('概况', 'S', ('碳达峰',)),)))\n"
    )
    env = os.environ | {"FONTCONFIG_FILE": str(config)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode != 0
    assert "MissingCJKFont" in done.stderr
    assert "fonts-wqy-microhei" in done.stderr and "未安装中文字体" in done.stderr
