"""The shipped broker configuration (deploy/mosquitto/carbonpeak.conf), made runnable on a test
machine: only the site-specific lines (listener, accounts, paths, log) are replaced, so the tests
and the benchmark run with the queue and persistence settings that production uses."""

from __future__ import annotations

import os
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[1] / "deploy" / "mosquitto" / "carbonpeak.conf"
SITE_KEYS = {
    "listener",
    "allow_anonymous",
    "password_file",
    "acl_file",
    "persistence_location",
    "log_dest",
    "log_type",
    "user",
}


def local_broker_config(port: int, folder: Path) -> str:
    kept = [
        line
        for line in SHIPPED.read_text(encoding="utf-8").splitlines()
        if not line.strip() or line.lstrip().startswith("#") or line.split()[0] not in SITE_KEYS
    ]
    # As root, mosquitto drops to a user that cannot write here; keep it root for tests.
    user = ["user root"] if os.geteuid() == 0 else []
    local = [
        f"listener {port} 127.0.0.1",
        "allow_anonymous true",
        f"persistence_location {folder}/",
        f"log_dest file {folder}/mosquitto.log",
    ]
    return "\n".join([*kept, *user, *local]) + "\n"
