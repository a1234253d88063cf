"""Reports: the annual PDF carries Chinese text in an embedded CJK font; the workbook carries the
same numbers as the API; an enterprise's annual report; `carbonpeak report`."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from tests.web.conftest import WebBase, api_client
from typer.testing import CliRunner

from carbonpeak.plan import PlanDocument
from carbonpeak.reports import render
from carbonpeak.services.reports import base_report, enterprise_report

needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed; CI installs it",
)
CJK_FONT_NAMES = ("WenQuanYi", "Noto", "SourceHan", "Source-Han")


def _has_cjk_font() -> bool:
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


needs_cjk_font = pytest.mark.skipif(
    shutil.which("fc-list") is None or not _has_cjk_font(),
    reason="no CJK font installed (fonts-wqy-microhei or fonts-noto-cjk); CI installs one",
)


@needs_poppler
@needs_cjk_font
def test_annual_pdf_embeds_a_cjk_font_and_chinese_text(
    web_base: WebBase, plan_document: PlanDocument, tmp_path: Path
) -> None:
    pdf = render(base_report(web_base.engine, plan_document.plan, year=2022), "pdf")
    path = tmp_path / "annual.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    lines = fonts.stdout.splitlines()[2:]
    cjk = [line for line in lines if any(name in line for name in CJK_FONT_NAMES)]
    assert cjk, fonts.stdout
    assert all(line.split()[-5] == "yes" for line in cjk), "CJK font not embedded"
    extracted = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = "".join(extracted.split())  # table cells wrap Chinese text across lines
    assert "宁东能源化工基地碳达峰年度报告" in text
    assert "合成演示数据，非真实企业数据" in text  # the demo says it is synthetic
    assert "经济发展局" in text
    assert "新能源装机容量" in text  # the targets table
    assert "化学原料和化学制品制造业" in text  # energy and CO2 by division


def test_annual_workbook_has_the_numbers_the_api_shows(web_base: WebBase, web_app: FastAPI) -> None:
    office = api_client(web_app, web_base, "office")
    response = office.get("/api/v1/reports/base", params={"year": 2022, "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["2022 年分行业"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] and str(row[0]).startswith("行业代码"))
    by_division = {row[0]: row for row in rows[header + 1 :] if str(row[0]).isdigit()}
    api = office.get("/api/v1/accounts", params={"level": "division", "period": "2022"}).json()
    assert len(api) == len(by_division) > 3
    for row in api:
        co2_column = 4  # division, name, energy, gross energy, CO2, process CO2
        assert by_division[row["division"]][co2_column] == pytest.approx(row["co2_net_t"] / 1e4)
    cover = [c for (c,) in book["说明 About"].iter_rows(max_col=1, values_only=True) if c]
    assert any("合成演示数据" in str(c) for c in cover)
    assert any("核算因子集：ningxia" in str(c) for c in cover)


def test_monthly_report_and_a_month_without_data(
    web_base: WebBase, plan_document: PlanDocument
) -> None:
    report = base_report(web_base.engine, plan_document.plan, month="2023-06")
    titles = [t.title_zh for s in report.sections for t in s.tables]
    assert "2023-06 分行业" in titles
    assert "2022-06 同期" in titles
    with pytest.raises(KeyError, match="no accepted reports for 2031-01"):
        base_report(web_base.engine, plan_document.plan, month="2031-01")


def test_enterprise_annual_report(web_base: WebBase, plan_document: PlanDocument) -> None:
    report = enterprise_report(web_base.engine, plan_document.plan, web_base.own, 2023)
    monthly = next(t for s in report.sections for t in s.tables if t.title_en == "By month")
    assert [r["period"] for r in monthly.rows] == [f"2023-{m:02d}" for m in range(1, 13)]
    submissions = next(s for s in report.sections if s.heading_en == "Submissions")
    assert "12" in submissions.paragraphs[0]
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert "月度" in book.sheetnames


def test_report_command_writes_pdf_and_xlsx(
    web_base: WebBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from carbonpeak.cli import app

    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", str(web_base.engine.url))
    runner = CliRunner()
    target = tmp_path / "annual.xlsx"
    result = runner.invoke(
        app, ["report", "--year", "2023", "--format", "xlsx", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(target).sheetnames[0] == "说明 About"
    enterprise = tmp_path / "enterprise.xlsx"
    result = runner.invoke(
        app,
        [
            "report",
            "--year",
            "2023",
            "--enterprise",
            web_base.own,
            "--format",
            "xlsx",
            "--output",
            str(enterprise),
        ],
    )
    assert result.exit_code == 0, result.output
    assert enterprise.stat().st_size > 0
    both = runner.invoke(app, ["report", "--year", "2023", "--month", "2023-01"])
    assert both.exit_code == 1
    assert "--month YYYY-MM" in both.output and "--year YYYY" in both.output
