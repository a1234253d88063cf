"""Reading a report file as text cells, within the limits of ``carbonpeak.settings``.

Sizes are checked before anything is parsed: the file's bytes, an .xlsx workbook's unpacked
size and its sheet's declared dimensions, a Parquet file's row count from its footer, a CSV's
line count. A file that is not what its name says (a ZIP or PDF named .csv) is refused as such,
and a CSV that is not UTF-8 names the first bad byte and its line.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from carbonpeak.datafile import DataFileError, Problem
from carbonpeak.settings import Settings, settings

__all__ = ["check_size", "read_table"]

# The first bytes of the binary formats a report clerk might send by mistake.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls?)"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "a Parquet file"),
    (b"\x1f\x8b", "a gzip archive"),
)


def _as_text(file: Path, limits: Settings) -> str:
    data = file.read_bytes()
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DataFileError(
                str(file),
                [Problem("file", "not a CSV text file", expected="CSV text (UTF-8)", found=what)],
            )
    if b"\x00" in data[:8192]:
        raise DataFileError(
            str(file),
            [
                Problem(
                    "file",
                    "not a CSV text file",
                    expected="CSV text (UTF-8)",
                    found="binary data (NUL bytes)",
                )
            ],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The offset counts the BOM too, so it is the byte position in the file.
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:start].count(b"\n") + 1
        raise DataFileError(
            str(file),
            [
                Problem(
                    f"row {line}",
                    "not UTF-8 text (GBK?)",
                    expected="UTF-8",
                    found=f"byte {start} (0x{data[start]:02x}), row {line}",
                )
            ],
        ) from exc
    lines = text.count("\n")
    if lines > limits.max_rows + 1:
        raise _too_many_rows(file, lines - 1, limits)
    return text


def _too_many_rows(file: Path, rows: int, limits: Settings) -> DataFileError:
    return DataFileError(
        str(file),
        [
            Problem(
                "file",
                "too many rows",
                expected=f"at most {limits.max_rows} data rows (CARBONPEAK_MAX_ROWS)",
                found=rows,
            )
        ],
    )


def check_size(file: Path, size: int, limits: Settings) -> None:
    """Refuse a file larger than ``max_upload_bytes`` before reading it."""
    if size > limits.max_upload_bytes:
        raise DataFileError(
            str(file),
            [
                Problem(
                    "file",
                    "file too large",
                    expected=f"at most {limits.max_upload_bytes} bytes "
                    "(CARBONPEAK_MAX_UPLOAD_BYTES)",
                    found=size,
                )
            ],
        )


def _cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    # Missing values are empty cells, as in a CSV; never the text "nan" or "None".
    return frame.astype(object).where(frame.notna(), "").astype(str)


def _parquet(file: Path, limits: Settings) -> pd.DataFrame:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(file).metadata
    if metadata.num_rows > limits.max_rows:
        raise _too_many_rows(file, metadata.num_rows, limits)
    if metadata.num_columns > limits.max_columns:
        raise DataFileError(
            str(file),
            [
                Problem(
                    "file",
                    "too many columns",
                    expected=f"at most {limits.max_columns}",
                    found=metadata.num_columns,
                )
            ],
        )
    return _cells_as_text(pd.read_parquet(file))


def _csv(text: str) -> pd.DataFrame:
    """A CSV's rows as text cells; blank lines are dropped but keep their numbers, so a problem
    names the line an editor shows (``attrs["rows"]``)."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    cells = frame.astype(object).where(frame.notna(), "").astype(str)
    blank = cells.apply(lambda column: column.str.strip() == "").all(axis=1).to_numpy()
    if not blank.any():
        return cells
    kept: pd.DataFrame = cells.loc[~blank].reset_index(drop=True)
    kept.attrs["rows"] = [index + 2 for index, empty in enumerate(blank) if not empty]
    return kept


def read_table(path: str | Path, limits: Settings | None = None) -> pd.DataFrame:
    """Read a report file as text cells: ``.csv`` (UTF-8), ``.xlsx`` (the template),
    ``.parquet`` or ``.json`` (a list of row objects). Raises :class:`DataFileError` for a file
    that cannot be read as such or is beyond the limits."""
    limits = limits or settings()
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".parquet", ".json"}:
        raise DataFileError(
            str(file),
            [
                Problem(
                    "file",
                    f"cannot read: unsupported file type {suffix!r}",
                    expected=".csv, .xlsx, .parquet, .json",
                    found=suffix,
                )
            ],
        )
    try:
        check_size(file, file.stat().st_size, limits)
        if suffix == ".parquet":
            return _parquet(file, limits)
        if suffix == ".xlsx":
            # Imported here only to spare every other reader openpyxl's import time; the
            # template imports the column vocabulary, not the reader, so there is no circle.
            from carbonpeak.accounting.template import read_template

            return read_template(file, limits)
        if suffix == ".json":
            frame = pd.read_json(file, orient="records", dtype=False)
            if len(frame) > limits.max_rows:
                raise _too_many_rows(file, len(frame), limits)
            return _cells_as_text(frame)
        return _csv(_as_text(file, limits))
    except DataFileError:
        raise
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(str(file), [Problem("file", f"cannot read: {exc}")]) from exc
    except Exception as exc:
        raise DataFileError(str(file), [Problem("file", f"cannot read: {exc}")]) from exc
