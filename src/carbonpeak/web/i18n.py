"""Interface text: Chinese first, English on the switch. Every label lives once, in a table:
the pages' texts in ``data/messages/labels.yaml``, the target and goal statuses in
``data/methods/tracking.yaml``, the confidentiality marks in ``reports/disclosure.py``."""

from __future__ import annotations

from importlib import resources

import yaml

from carbonpeak.reports.disclosure import CONFIDENTIAL, REASON_TEXT
from carbonpeak.tracking.method import tracking_method
from carbonpeak.web.portal_labels import PORTAL_LABELS

__all__ = ["LABELS", "LANGUAGES", "MESSAGES_FILE", "STATUS", "label", "status_text"]

LANGUAGES = ("zh", "en")
MESSAGES_FILE = "data/messages/labels.yaml"


def _labels() -> dict[str, tuple[str, str]]:
    text = resources.files("carbonpeak").joinpath(MESSAGES_FILE).read_text(encoding="utf-8")
    return {key: (str(v["zh"]), str(v["en"])) for key, v in yaml.safe_load(text)["labels"].items()}


LABELS: dict[str, tuple[str, str]] = {
    **_labels(),
    "confidential": CONFIDENTIAL,
    **{f"reason_{reason.value}": text for reason, text in REASON_TEXT.items()},
    **PORTAL_LABELS,  # the inbox and the public portal (web/portal_labels.py)
}

# Target statuses from the one vocabulary (data/methods/tracking.yaml); goal statuses after.
STATUS: dict[str, tuple[str, str]] = {
    **{key: (info.zh, info.en) for key, info in tracking_method().statuses.items()},
    **tracking_method().goal_statuses,
}


def status_text(status: str, language: str) -> str:
    """A target's or goal's status in ``language``; an unknown one shows as itself.

    >>> status_text("on_track", "zh"), status_text("pending", "en")
    ('进展顺利', 'Pending')
    """
    pair = STATUS.get(status, (status, status))
    return pair[1] if language == "en" else pair[0]


def label(key: str, language: str) -> str:
    """A label in ``language``; a key with no entry shows as itself, so a gap is visible.

    >>> label("overview", "zh"), label("overview", "en"), label("pending", "en")
    ('总览', 'Overview', 'Pending')
    """
    if key not in LABELS:
        return status_text(key, language)
    zh, en = LABELS[key]
    return en if language == "en" else zh
