"""The one settings table: where the data live, the plan, the server, resource limits, login
throttling, trusted proxies and the mail server.

Every setting is a field of :class:`Settings` read from a ``CARBONPEAK_*`` environment variable
(the field's name in capitals after the prefix), with the default and description below;
docs/settings.md and README.md list them and ``tests/test_docs.py`` keeps them in step. Pure:
no web or database imports, so the core (file readers) and the shells read the same limits.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PositiveInt, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["PREFIX", "SETTINGS", "Setting", "Settings", "settings"]

PREFIX = "CARBONPEAK_"


class Settings(BaseSettings):
    """The settings of one process; a malformed value is an error naming its variable."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_ignore_empty=True,  # a variable set to "" keeps the default
        str_strip_whitespace=True,
        frozen=True,
        extra="ignore",
    )

    data_dir: Path | None = Field(
        None,
        description="where files live: the SQLite store, telemetry, evidence files; "
        "default: the per-user data directory",
    )
    database_url: str | None = Field(
        None,
        description="another database (postgresql://…); default: SQLite in the data directory",
    )
    plan: Path | None = Field(
        None,
        description="another plan file for the `plan` commands (their `--plan`); "
        "default: the packaged Ningdong plan",
    )
    audit_anchor: Path | None = Field(
        None,
        description="the audit log's signed anchor file, kept outside the database "
        "(docs/audit.md); default: beside the SQLite file, or in the data directory",
    )
    audit_key: Path | None = Field(
        None,
        description="the key that signs the anchor; keep it where the database's administrators "
        "cannot read it; default: beside the anchor file",
    )
    host: str = Field("127.0.0.1", description="address `carbonpeak serve` listens on")
    port: PositiveInt = Field(8000, description="port `carbonpeak serve` listens on")
    workers: PositiveInt = Field(
        1, description="server processes `carbonpeak serve` starts (its `--workers`)"
    )
    dev: bool = Field(
        False,
        description="development: the page templates are reloaded when their files change "
        "(off in production: every render would check the files)",
    )
    session_cache_seconds: int = Field(
        5,
        ge=0,
        description="how long a process remembers who a session cookie belongs to; a sign-out "
        "or deactivation in the same process forgets at once, in another worker within this; "
        "0: ask the database every request",
    )
    max_body_bytes: PositiveInt = Field(
        25 * 2**20, description="largest request body the server reads, in bytes; beyond it 413"
    )
    max_upload_bytes: PositiveInt = Field(
        20 * 2**20,
        description="largest report file (upload or `carbonpeak ingest`), in bytes",
    )
    max_rows: PositiveInt = Field(100_000, description="most data rows in one report file")
    max_columns: PositiveInt = Field(
        64, description="most columns in one report file (the template has 16)"
    )
    max_unpacked_bytes: PositiveInt = Field(
        100 * 2**20,
        description="most bytes an .xlsx workbook may unpack to (its zip members together)",
    )
    login_failures: PositiveInt = Field(
        5,
        description="wrong passwords in a row, for one account from one address, "
        "before that pair pauses",
    )
    login_pause_seconds: PositiveInt = Field(
        900,
        description="first pause of an account from one address; doubles with each further pause",
    )
    login_max_pause_seconds: PositiveInt = Field(
        86_400, description="longest pause (the back-off stops doubling here)"
    )
    address_failures: PositiveInt = Field(
        10, description="failed sign-ins from one address, any accounts, before 429"
    )
    address_window_seconds: PositiveInt = Field(
        900, description="the window the address failures are counted in"
    )
    trusted_proxies: str = Field(
        "",
        description="comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For is believed; empty: the client address is the connection's, "
        "whatever the headers say",
    )
    smtp_host: str | None = Field(
        None, description="mail server for notices; default: no mail is sent"
    )
    # Text, checked when a mail is sent (services/mailer.py): a wrong port fails the mail, which
    # is recorded on the notice, never the change that caused it.
    smtp_port: str = Field("25", description="the mail server's port number")
    smtp_sender: str | None = Field(None, description="From address of notices")
    smtp_user: str | None = Field(None, description="user name at the mail server, if it asks")
    smtp_password: str | None = Field(
        None, description="password at the mail server; never logged or shown"
    )
    smtp_starttls: bool = Field(False, description="upgrade the connection with STARTTLS")
    language: Literal["zh", "en"] = Field(
        "zh",
        description="the command line's language (zh or en): its error lines and the texts of "
        "its tables; the web pages follow each visitor's choice",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        _networks(value)  # fail at start on a malformed proxy list
        return value

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default: the process environment); a malformed value is an
        error naming the variable, not a silent default."""
        try:
            if environ is None:
                return cls()
            return cls.model_validate(
                {
                    setting.name: environ[setting.variable]
                    for setting in SETTINGS
                    if environ.get(setting.variable, "").strip()
                }
            )
        except ValidationError as exc:
            raise ValueError(_sentences(exc)) from None

    def proxy_networks(
        self,
    ) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The trusted proxies as networks (a single address is a /32 or /128)."""
        return _networks(self.trusted_proxies)

    def replace(self, **changes: Any) -> Settings:
        return self.model_copy(update=changes)


def _networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"{part!r} is not an address or network") from exc
    return tuple(networks)


def _sentences(exc: ValidationError) -> str:
    """Pydantic's errors as one line per variable: which, what is wrong, what was found."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"{PREFIX}{name.upper()}: {message}; found {error.get('input')!r}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Setting:
    """One row of the settings table, as the docs show it."""

    name: str  # attribute of Settings
    variable: str  # environment variable
    default: int | str | bool | None
    meaning: str


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(
        name,
        PREFIX + name.upper(),
        field.default,
        field.description or "",
    )
    for name, field in Settings.model_fields.items()
)


@cache
def settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings.from_env()
