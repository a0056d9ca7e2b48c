"""What every import into a workspace reports, whatever the file held.

A reader returns a subclass of :class:`ImportedTable`: the canonical frame, where it came from
(file name, format, SHA-256) and what the import did to it (time zone, skipped rows, generated
ids, ambiguous local times). The service that stores it needs nothing else; each subclass adds
what its kind of file has (the column mapping, rating scales, labelled sentences) through
:meth:`ImportedTable.details`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedTable:
    """A validated file, read into its canonical frame."""

    frame: pl.DataFrame
    source: str
    format: str
    sha256: str
    timezone: str | None = None  # of the file's local times, None without dates
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out, by reason
    generated_ids: bool = False  # the file had no id column: ids were numbered
    ambiguous_times: int = 0  # local times in a daylight-saving fold, read as the first

    @property
    def rows(self) -> int:
        return self.frame.height

    def details(self) -> dict[str, object]:
        """What this kind of file adds to :meth:`to_dict` (JSON-ready)."""
        return {}

    def to_dict(self) -> dict[str, object]:
        """What the import did, JSON-ready: stored with the dataset and shown to the user."""
        return {
            "source": self.source,
            "format": self.format,
            "rows": self.rows,
            "sha256": self.sha256,
            **self.details(),
            "timezone": self.timezone,
            "skipped": dict(self.skipped),
            "generated_ids": self.generated_ids,
            "ambiguous_times": self.ambiguous_times,
        }
