"""Reports as data, rendered to HTML, PDF (Chinese fonts embedded) and XLSX.

A report is sections of paragraphs and tables; services fill it from the store, and the same
report renders to every format, so the PDF and the workbook always say the same thing.

>>> table = Table("能耗", "Energy", (Column("year", "年份", "Year"),
...               Column("tce", "能耗", "Energy", "tce")), ({"year": 2025, "tce": 1234.5},))
>>> report = Report("测试报告", "Test report", "2025", (Section("概况", "Summary", (), (table,)),))
>>> "1,234.5" in render_html(report)
True
"""

from carbonpeak.reports.model import Chart, Column, Report, Section, Series, Table, format_value
from carbonpeak.reports.render import (
    FORMATS,
    MissingCJKFont,
    render,
    render_html,
    render_pdf,
    render_xlsx,
)

__all__ = [
    "FORMATS",
    "Chart",
    "Column",
    "MissingCJKFont",
    "Report",
    "Section",
    "Series",
    "Table",
    "format_value",
    "render",
    "render_html",
    "render_pdf",
    "render_xlsx",
]
