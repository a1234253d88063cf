"""carbonpeak decompose on the example of docs/tracking.md."""

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from carbonpeak.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "tracking.md"


def test_decompose_the_documented_example(tmp_path: Path) -> None:
    block = re.search(r"```csv\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    path = tmp_path / "lmdi.csv"
    pd.read_csv(io.StringIO(block.group(1))).to_csv(path, index=False)
    result = CliRunner().invoke(app, ["decompose", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    effects = {
        row["factor"]: row
        for row in json.loads(result.stdout)
        if row["from"] == 1971 or row["from"] == "1971"
    }
    assert effects["f1"]["additive"] == pytest.approx(69.79006598, abs=1e-8)
    assert effects["f2"]["multiplicative"] == pytest.approx(0.926191306, abs=1e-8)
    bad = tmp_path / "bad.csv"
    bad.write_text("period,subcategory,value\n2020,s1,1\n", encoding="utf-8")
    failed = CliRunner().invoke(app, ["decompose", str(bad)])
    assert failed.exit_code == 1
    assert "missing columns: factor" in failed.stderr
