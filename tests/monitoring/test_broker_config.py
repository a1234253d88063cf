"""The shipped broker configuration keeps what at-least-once delivery needs, and the tests run
with it (only the site lines replaced)."""

from __future__ import annotations

from pathlib import Path

from tests.mosquitto_config import SHIPPED, SITE_KEYS, local_broker_config


def settings(text: str) -> dict[str, str]:
    pairs = (line.split(maxsplit=1) for line in text.splitlines())
    return {p[0]: p[1] if len(p) > 1 else "" for p in pairs if p and not p[0].startswith("#")}


def test_the_shipped_configuration_queues_for_an_offline_consumer() -> None:
    shipped = settings(SHIPPED.read_text(encoding="utf-8"))
    assert shipped["persistence"] == "true"
    # The stock 1000 dropped 28 % of readings during an 11 s outage.
    assert int(shipped["max_queued_messages"]) >= 100_000
    assert shipped["max_queued_bytes"] == "0"
    assert shipped["queue_qos0_messages"] == "false"
    assert shipped["allow_anonymous"] == "false"
    acl = (SHIPPED.parent / "carbonpeak.acl").read_text(encoding="utf-8")
    assert "pattern write carbonpeak/telemetry/%u/#" in acl.splitlines()


def test_the_tests_broker_keeps_every_setting_but_the_site_ones(tmp_path: Path) -> None:
    shipped = settings(SHIPPED.read_text(encoding="utf-8"))
    local = settings(local_broker_config(1884, tmp_path))
    for key, value in shipped.items():
        if key not in SITE_KEYS:
            assert local[key] == value, key
    assert local["listener"] == "1884 127.0.0.1"
