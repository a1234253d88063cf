"""The one settings table: every variable read through it, with its checks and defaults."""

from pathlib import Path

import pytest

from carbonpeak.services.store import data_directory
from carbonpeak.settings import SETTINGS, Settings


def test_every_setting_is_a_described_carbonpeak_variable() -> None:
    for setting in SETTINGS:
        assert setting.variable == "CARBONPEAK_" + setting.name.upper()
        assert setting.meaning, setting.variable
    assert {"CARBONPEAK_DATA_DIR", "CARBONPEAK_DATABASE_URL", "CARBONPEAK_PLAN"} <= {
        s.variable for s in SETTINGS
    }


def test_the_process_environment_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBONPEAK_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("CARBONPEAK_SMTP_STARTTLS", "false")
    monkeypatch.setenv("CARBONPEAK_PORT", " 8080 ")
    monkeypatch.setenv("CARBONPEAK_MAX_ROWS", "")  # empty keeps the default
    made = Settings.from_env()
    assert (made.smtp_host, made.smtp_starttls, made.port) == ("mail.example.org", False, 8080)
    assert made.max_rows == 100_000
    monkeypatch.setenv("CARBONPEAK_MAX_ROWS", "0")
    with pytest.raises(ValueError, match="CARBONPEAK_MAX_ROWS: Input should be greater than 0"):
        Settings.from_env()
    # The mail server's port is checked when a mail is sent: a wrong one fails that mail only
    # (tests/services/test_notices.py), never every other use of the settings.
    monkeypatch.setenv("CARBONPEAK_MAX_ROWS", "")
    monkeypatch.setenv("CARBONPEAK_SMTP_PORT", "smtp")
    assert Settings.from_env().smtp_port == "smtp"


def test_the_data_directory_follows_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(tmp_path / "elsewhere"))
    assert data_directory() == tmp_path / "elsewhere"
    assert data_directory().is_dir()


def test_replace_gives_a_new_table_and_leaves_the_old_one() -> None:
    base = Settings.from_env({})
    small = base.replace(max_rows=3)
    assert (small.max_rows, base.max_rows) == (3, 100_000)
