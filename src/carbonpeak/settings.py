"""The one settings table: resource limits, login throttling and trusted proxies.

Every setting is read from a ``CARBONPEAK_*`` environment variable when the process asks for
``settings()``, with the default below; README.md and docs/web.md list them. Pure: no web or
database imports, so the core (file readers) and the shells read the same limits.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields
from functools import cache

__all__ = ["SETTINGS", "Setting", "Settings", "settings"]


@dataclass(frozen=True)
class Setting:
    name: str  # attribute of Settings
    variable: str  # environment variable
    default: int | str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "max_body_bytes",
        "CARBONPEAK_MAX_BODY_BYTES",
        25 * 2**20,
        "largest request body the server reads, in bytes; beyond it 413",
    ),
    Setting(
        "max_upload_bytes",
        "CARBONPEAK_MAX_UPLOAD_BYTES",
        20 * 2**20,
        "largest report file (upload or `carbonpeak ingest`), in bytes",
    ),
    Setting(
        "max_rows",
        "CARBONPEAK_MAX_ROWS",
        100_000,
        "most data rows in one report file",
    ),
    Setting(
        "max_columns",
        "CARBONPEAK_MAX_COLUMNS",
        64,
        "most columns in one report file (the template has 16)",
    ),
    Setting(
        "max_unpacked_bytes",
        "CARBONPEAK_MAX_UNPACKED_BYTES",
        100 * 2**20,
        "most bytes an .xlsx workbook may unpack to (its zip members together)",
    ),
    Setting(
        "login_failures",
        "CARBONPEAK_LOGIN_FAILURES",
        5,
        "wrong passwords in a row, for one account from one address, before that pair pauses",
    ),
    Setting(
        "login_pause_seconds",
        "CARBONPEAK_LOGIN_PAUSE_SECONDS",
        900,
        "first pause of an account from one address; doubles with each further pause",
    ),
    Setting(
        "login_max_pause_seconds",
        "CARBONPEAK_LOGIN_MAX_PAUSE_SECONDS",
        86_400,
        "longest pause (the back-off stops doubling here)",
    ),
    Setting(
        "address_failures",
        "CARBONPEAK_ADDRESS_FAILURES",
        10,
        "failed sign-ins from one address, any accounts, before 429",
    ),
    Setting(
        "address_window_seconds",
        "CARBONPEAK_ADDRESS_WINDOW_SECONDS",
        900,
        "the window the address failures are counted in",
    ),
    Setting(
        "trusted_proxies",
        "CARBONPEAK_TRUSTED_PROXIES",
        "",
        "comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is "
        "believed; empty: the client address is the connection's, whatever the headers say",
    ),
)


@dataclass(frozen=True)
class Settings:
    max_body_bytes: int
    max_upload_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked_bytes: int
    login_failures: int
    login_pause_seconds: int
    login_max_pause_seconds: int
    address_failures: int
    address_window_seconds: int
    trusted_proxies: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default: the process environment); a malformed value is an
        error naming the variable, not a silent default."""
        source = os.environ if environ is None else environ
        values: dict[str, int | str] = {}
        for setting in SETTINGS:
            raw = source.get(setting.variable)
            if raw is None or raw.strip() == "":
                values[setting.name] = setting.default
            elif isinstance(setting.default, int):
                try:
                    number = int(raw.strip())
                except ValueError as exc:
                    raise ValueError(
                        f"{setting.variable}: expected a whole number, found {raw!r}"
                    ) from exc
                if number <= 0:
                    raise ValueError(f"{setting.variable}: expected > 0, found {number}")
                values[setting.name] = number
            else:
                values[setting.name] = raw.strip()
        made = cls(**values)  # type: ignore[arg-type]
        made.proxy_networks()  # fail at start on a malformed proxy list
        return made

    def proxy_networks(
        self,
    ) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The trusted proxies as networks (a single address is a /32 or /128)."""
        networks = []
        for part in filter(None, (p.strip() for p in self.trusted_proxies.split(","))):
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ValueError(
                    f"CARBONPEAK_TRUSTED_PROXIES: {part!r} is not an address or network"
                ) from exc
        return tuple(networks)

    def replace(self, **changes: int | str) -> Settings:
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        return Settings(**{**current, **changes})


assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)], "settings table"


@cache
def settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings.from_env()
