"""What an importer says about bad input: every problem, with file, row and column.

Every importer in :mod:`outsidein.io` validates the whole file first and collects *all* problems
before anything is stored (all or nothing). Rows are numbered as a person sees them in a
spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}


class ImportRejected(Exception):
    """The input had problems; nothing was stored.

    ``problems`` lists each one (capped by the importer at a sensible number, with the total
    kept in ``total``) so that the user can fix them all in one pass.
    """

    def __init__(self, problems: Sequence[Problem], *, total: int | None = None) -> None:
        if not problems:
            raise ValueError("ImportRejected needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        head = f"{self.total} problem{'s' if self.total != 1 else ''}; nothing was stored"
        lines = [head, *(f"  {p}" for p in self.problems)]
        if self.total > len(self.problems):
            lines.append(f"  ... and {self.total - len(self.problems)} more")
        return "\n".join(lines)


MAX_REPORTED = 200
"""Problems listed in full; beyond this only the count is kept (a broken 1 GB file would
otherwise produce a 1 GB error message)."""


def reject_if_any(problems: Iterable[Problem]) -> None:
    """Raise :class:`ImportRejected` if ``problems`` is not empty."""
    collected = list(problems)
    if collected:
        raise ImportRejected(collected[:MAX_REPORTED], total=len(collected))
