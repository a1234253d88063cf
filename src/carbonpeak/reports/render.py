"""Rendering: HTML (Jinja2, autoescaped), PDF (WeasyPrint, CJK font embedded), XLSX (openpyxl)."""

from __future__ import annotations

import io
import re
import zlib
from typing import Literal

from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from carbonpeak.errors import Unavailable
from carbonpeak.messages import message, text
from carbonpeak.reports.model import Chart, Report, Table, format_value
from carbonpeak.reports.svg import line_chart_svg

__all__ = [
    "CJK_FONTS",
    "FORMATS",
    "MissingCJKFont",
    "embedded_fonts",
    "render",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "table_width",
]

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
# The first installed one is used; Debian packages fonts-wqy-microhei and fonts-noto-cjk.
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC")

_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ r.title_zh }}</title>
<style>
@page { size: A4; margin: 18mm 14mm 18mm 14mm;
  @top-center { content: "{{ r.synthetic_note or '' }}"; font-size: 8pt; color: #b45309; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
@page wide { size: A4 landscape; margin: 14mm 14mm 14mm 14mm;
  @top-center { content: "{{ r.synthetic_note or '' }}"; font-size: 8pt; color: #b45309; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
.wide { page: wide; } .wide table, .narrow-font table { font-size: 8pt; }
tr, .chart { break-inside: avoid; } thead { display: table-header-group; }
h2, h3 { break-after: avoid; }
td, th { overflow-wrap: anywhere; }
body { font-family: {{ fonts }}, sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; } h1 small { display: block; font-size: 10pt;
  color: #555; font-weight: normal; }
h2 { font-size: 12.5pt; border-bottom: 1px solid #999; margin-top: 14pt; }
h3 { font-size: 10.5pt; margin: 9pt 0 3pt 0; }
.synthetic { border: 1px solid #f59e0b; background: #fffbeb; padding: 4pt 6pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4pt; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; }
th { background: #eef2f7; text-align: left; } td.n { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.en { color: #555; font-size: 8pt; } .note { color: #555; font-size: 8pt; }
.lineage { font-size: 8pt; color: #444; }
</style></head><body>
<h1>{{ r.title_zh }}<small>{{ r.title_en }} · {{ r.period }}</small></h1>
{% if r.synthetic_note %}<p class="synthetic">{{ r.synthetic_note }}</p>{% endif %}
{% for s in r.sections %}
<h2>{{ s.heading_zh }} <span class="en">{{ s.heading_en }}</span></h2>
{% for p in s.paragraphs %}<p>{{ p }}</p>{% endfor %}
{% for c in s.charts %}
<div class="chart"><h3>{{ c.title_zh }} <span class="en">{{ c.title_en }}</span></h3>
{{ svg(c) }}{% if c.note %}<p class="note">{{ c.note }}</p>{% endif %}</div>
{% endfor %}
{% for t in s.tables %}{% set w = width(t) %}
<div class="{{ 'wide' if w > PORTRAIT else '' }} {{ 'narrow-font' if w > LANDSCAPE else '' }}">
<h3>{{ t.title_zh }} <span class="en">{{ t.title_en }}</span></h3>
<table><thead><tr>{% for c in t.columns %}<th>{{ c.header_zh }}{% if c.unit %}
（{{ c.unit }}）{% endif %}<br><span class="en">{{ c.header_en }}</span></th>{% endfor %}</tr>
</thead><tbody>
{% for row in t.rows %}<tr>{% for c in t.columns %}{% set v = row.get(c.key) %}
<td{% if v is number %} class="n"{% elif c.nowrap %} class="nowrap"{% endif %}>
{{- fmt(v, c.digits, r.language) }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% if t.note %}<p class="note">{{ t.note }}</p>{% endif %}</div>
{% endfor %}{% endfor %}
<h2>{{ t('report.lineage', 'zh') }} <span class="en">{{ t('report.lineage', 'en') }}</span></h2>
<ul class="lineage">{% for line in r.lineage %}<li>{{ line }}</li>{% endfor %}
<li>{{ t('report.generated', r.language, when=r.generated_at) }}</li></ul>
</body></html>
"""

# A table's least width in character cells (a CJK character is two) that fits the text width of
# an A4 page at 9.5 pt, upright and turned; a wider table gets a landscape page, then 8 pt.
PORTRAIT = 104
LANDSCAPE = 150
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,:@%_\-+/<>=≥≤（）()]+")


def table_width(table: Table) -> int:
    """The table's least width: per column the longest run that cannot wrap (numbers, words,
    identifiers; Chinese wraps between any two characters), cells and headers, plus padding."""

    def least(text: str) -> int:
        runs = [len(run) for run in _UNBREAKABLE.findall(text)]
        return max([2 if any(ord(c) > 0x2E80 for c in text) else 0, *runs])

    total = 0
    for column in table.columns:
        texts = [column.header_zh, *column.header_en.split(), column.unit or ""]
        texts += [format_value(row.get(column.key), column.digits) for row in table.rows]
        total += min(max(least(text) for text in texts), 30) + 2
    return total


def _fonts_css() -> Markup:
    return Markup(", ".join(f'"{font}"' for font in CJK_FONTS))  # CSS, not text to escape


def _svg(chart: Chart) -> Markup:
    return Markup(line_chart_svg(chart, fonts=", ".join(CJK_FONTS)))  # escaped inside


_environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_environment.globals.update(
    fmt=format_value,
    t=text,
    svg=_svg,
    width=table_width,
    PORTRAIT=PORTRAIT,
    LANDSCAPE=LANDSCAPE,
)
_template = _environment.from_string(_TEMPLATE)


class MissingCJKFont(Unavailable):
    """No Chinese font reached the PDF: its Chinese text would print as empty boxes."""

    def __str__(self) -> str:  # a log and a traceback say it in both languages
        return f"{self.text('zh')} {self.text('en')}"


def render_html(report: Report) -> str:
    return _template.render(r=report, fonts=_fonts_css())


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (its /BaseFont entries, compressed streams included)."""
    pattern = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")
    names = set(pattern.findall(pdf))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            names |= set(pattern.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return {name.decode("latin-1").split("+", 1)[-1] for name in names}


def _has_cjk_font(fonts: set[str]) -> bool:
    wanted = {font.replace(" ", "").lower() for font in CJK_FONTS}
    return any(name.replace("-", "").lower() in wanted for name in fonts)


def render_pdf(report: Report) -> bytes:
    """The report as PDF; WeasyPrint embeds the subset of the CJK font the text uses.

    Raises :class:`MissingCJKFont` when none of :data:`CJK_FONTS` reached the document, rather
    than hand over a PDF whose Chinese text is boxes.
    """
    from weasyprint import HTML  # imported here: it loads Pango, which only PDFs need

    document: bytes = HTML(string=render_html(report)).write_pdf()
    found = embedded_fonts(document)
    if not _has_cjk_font(found):
        raise MissingCJKFont(
            message(
                "error.missing_cjk_font",
                fonts=", ".join(CJK_FONTS),
                found=", ".join(sorted(found)) or "—",
            )
        )
    return document


def render_xlsx(report: Report) -> bytes:
    """One sheet per table, plus a cover sheet with the lineage; values keep full precision."""
    book = Workbook()
    cover = book.active
    cover.title = "说明 About"
    cover.append([report.title_zh])
    cover.append([f"{report.title_en} · {report.period}"])
    cover["A1"].font = Font(bold=True, size=14)
    if report.synthetic_note:
        cover.append([report.synthetic_note])
        cover.cell(cover.max_row, 1).fill = PatternFill("solid", fgColor="FFF3CD")
    cover.append([])
    for section in report.sections:
        cover.append([f"{section.heading_zh} {section.heading_en}"])
        cover.cell(cover.max_row, 1).font = Font(bold=True)
        for paragraph in section.paragraphs:
            cover.append([paragraph])
    cover.append([])
    cover.append([f"{text('report.lineage', 'zh')} {text('report.lineage', 'en')}"])
    generated = text("report.generated", report.language, when=report.generated_at)
    for line in (*report.lineage, generated):
        cover.append([line])
    cover.column_dimensions["A"].width = 110
    names: set[str] = set()
    for section in report.sections:
        for table in section.tables:
            name = table.title_zh[:28]
            while name in names:
                name = name[:26] + str(len(names))
            names.add(name)
            sheet = book.create_sheet(name)
            sheet.append([f"{table.title_zh} {table.title_en}"])
            sheet["A1"].font = Font(bold=True)
            if report.synthetic_note:
                sheet.append([report.synthetic_note])
            headers = [
                f"{c.header_zh} {c.header_en}" + (f" ({c.unit})" if c.unit else "")
                for c in table.columns
            ]
            sheet.append(headers)
            header_row = sheet.max_row
            for cell in sheet[header_row]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True)
            for row in table.rows:
                sheet.append([_cell(row.get(c.key)) for c in table.columns])
            for index, column in enumerate(table.columns, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = 14 if column.unit else 22
                for (cell,) in sheet.iter_rows(
                    min_row=header_row + 1, min_col=index, max_col=index
                ):
                    if isinstance(cell.value, float):
                        cell.number_format = (
                            "#,##0." + "0" * column.digits if column.digits else "#,##0"
                        )
            if table.note:
                sheet.append([])
                sheet.append([table.note])
            sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    for section in report.sections:
        for chart in section.charts:
            _chart_sheet(book, chart, names)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _chart_sheet(book: Workbook, chart: Chart, names: set[str]) -> None:
    """The chart's numbers as a table with a native line chart drawn from them."""
    from openpyxl.chart import LineChart, Reference

    name = ("图 " + chart.title_zh)[:28]
    while name in names:
        name = name[:26] + str(len(names))
    names.add(name)
    sheet = book.create_sheet(name)
    sheet.append([f"{chart.title_zh} {chart.title_en} ({chart.unit})"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["", *(f"{s.name_zh} {s.name_en}" for s in chart.series)])
    for index, category in enumerate(chart.categories):
        sheet.append([category, *(s.values[index] for s in chart.series)])
    if chart.note:
        sheet.append([])
        sheet.append([chart.note])
    last = 2 + len(chart.categories)
    drawing = LineChart()
    drawing.title = f"{chart.title_zh} {chart.title_en}"
    drawing.y_axis.title = chart.unit
    data = Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=2, max_row=last)
    drawing.add_data(data, titles_from_data=True)
    drawing.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last))
    drawing.legend.position = "t"
    sheet.add_chart(drawing, f"{get_column_letter(len(chart.series) + 3)}2")
    sheet.column_dimensions["A"].width = 14


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return "，".join(str(v) for v in value)
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def render(report: Report, format: Literal["pdf", "xlsx", "html"] | str) -> bytes:
    if format == "pdf":
        return render_pdf(report)
    if format == "xlsx":
        return render_xlsx(report)
    if format == "html":
        return render_html(report).encode("utf-8")
    raise ValueError(f"format: expected one of {', '.join(FORMATS)}; found {format!r}")
