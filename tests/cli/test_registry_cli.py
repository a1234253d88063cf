"""`carbonpeak registry`: register, change, close and import from the command line, with the
problems of a bad workbook on stderr and exit code 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from carbonpeak.cli import app
from carbonpeak.services.registry_import import SHEETS
from tests.services.registry_helpers import credit_code

runner = CliRunner()


def test_registry_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBONPEAK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    added = runner.invoke(
        app,
        [
            "registry",
            "add",
            "enterprise",
            "-s",
            "code=cli_a",
            "-s",
            f"credit_code={credit_code('31')}",
            "-s",
            "name_zh=命令行企业",
            "-s",
            "sector=2614",
        ],
    )
    assert added.exit_code == 0, added.output
    changed = runner.invoke(
        app,
        ["registry", "change", "enterprise", "cli_a", "-s", "name_en=CLI Co", "--reason", "译名"],
    )
    assert changed.exit_code == 0, changed.output
    closed = runner.invoke(
        app, ["registry", "close", "enterprise", "cli_a", "--reason", "停产", "--on", "2026-06-30"]
    )
    assert closed.exit_code == 0, closed.output
    shown = runner.invoke(app, ["registry", "history", "--enterprise", "cli_a", "--format", "json"])
    assert [row["event"] for row in json.loads(shown.stdout)] == [
        "opened",
        "changed",
        "closed",
    ]
    template = tmp_path / "registry.xlsx"
    assert runner.invoke(app, ["registry", "template", str(template)]).exit_code == 0
    book = load_workbook(template)
    book[SHEETS["enterprise"]].append(["cli_b", "NOT-A-CODE", "乙", None, "2614", None])
    buffer = io.BytesIO()
    book.save(buffer)
    template.write_bytes(buffer.getvalue())
    refused = runner.invoke(app, ["registry", "import", str(template)])
    assert refused.exit_code == 1  # InvalidInput: the file names its problems
    assert "row 2, field credit_code" in refused.stderr
