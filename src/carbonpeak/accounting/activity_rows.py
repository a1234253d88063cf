"""The activity table's row bookkeeping: problems listed by the file's row and column, and each
parsed row's row number in the file (``accounting/activity.py`` parses)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from carbonpeak.datafile import Problem
from carbonpeak.messages import Message

__all__ = ["MAX_LISTED", "Problems", "RowNumbers", "constant"]

MAX_LISTED = 50  # problems listed per file; the rest are counted, not listed


class Problems:
    def __init__(self, lines: list[int] | None = None) -> None:
        self.rows: list[Problem] = []
        self.lines = lines  # each row's line in the file, where blank lines were skipped

    def add(
        self,
        mask: pd.Series,
        frame: pd.DataFrame,
        column: str,
        problem: str | Message,
        expected: str | Message,
        found: Callable[[int], object] | None = None,
    ) -> None:
        for index in np.flatnonzero(mask.to_numpy())[: MAX_LISTED - len(self.rows)]:
            value = (
                found(int(index))
                if found
                else frame[column].iloc[index]
                if column in frame
                else None
            )
            # Row numbers count the header as row 1, as a spreadsheet does.
            line = self.lines[index] if self.lines else index + 2
            self.rows.append(
                Problem(f"row {line}, column {column}", problem, expected=expected, found=value)
            )


class RowNumbers(tuple[int, ...]):
    """The file's row number of each parsed row. pandas deep-copies a frame's attrs into every
    column it hands out and compares them when it combines frames: this copies as itself and
    equals only itself, so neither costs a pass over the rows."""

    __slots__ = ()

    def __new__(cls, lines: np.ndarray) -> RowNumbers:
        return super().__new__(cls, lines.tolist())

    def __deepcopy__(self, memo: dict[int, object]) -> RowNumbers:
        return self

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = tuple.__hash__


def constant(value: object) -> Callable[[int], object]:
    return lambda _row: value
