"""A report file sent over HTTP: its type checked, copied to disk in chunks within the size
limit, read within the row and column limits, and (for an enterprise account) checked to name
only the caller's own enterprise, all before any validation or storage."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from carbonpeak.accounting.files import check_size, read_table
from carbonpeak.errors import Forbidden, InvalidInput
from carbonpeak.messages import message
from carbonpeak.settings import Settings

__all__ = ["UPLOAD_TYPES", "UnsupportedFileType", "check_own_enterprise", "read_report_upload"]

UPLOAD_TYPES = {".xlsx", ".csv", ".json", ".parquet"}


class UnsupportedFileType(InvalidInput):
    """A file whose name does not end in one of ``UPLOAD_TYPES``."""


def read_report_upload(stream: BinaryIO, filename: str, limits: Settings) -> pd.DataFrame:
    """The table of an uploaded report named ``filename``: refused as soon as the copy passes
    ``max_upload_bytes``, then read within the limits (``read_table``)."""
    name = Path(filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise UnsupportedFileType(
            f"unsupported file type {suffix!r}; expected {', '.join(sorted(UPLOAD_TYPES))}"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                check_size(path, size, limits)
                out.write(chunk)
        return read_table(path, limits)


def check_own_enterprise(raw: pd.DataFrame, enterprise: str | None) -> None:
    """An enterprise account reports only for itself."""
    if "enterprise" not in raw.columns:
        return
    others = sorted(set(raw["enterprise"].astype(str)) - {enterprise or ""})
    if others:
        raise Forbidden(message("error.reports_only_for_itself", others=", ".join(others)))
