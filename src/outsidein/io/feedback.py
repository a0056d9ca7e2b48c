"""Read customer feedback (reviews, complaints, open answers, social posts) into the canonical
frame, every cell checked.

One comment per row: its text, and optionally a rating, a date, a segment and an id, from any
file :mod:`outsidein.io.survey_exports` reads. Canonical frame (:data:`FEEDBACK_SCHEMA`):
``comment_id``, ``text``, ``rating`` (Float64, on the declared scale), ``date`` (UTC),
``segment`` and ``source_row`` (the row a person sees the comment on). Mapping, time zones,
labels, skipped rows and generated ids follow :mod:`outsidein.io.customer`. Empty text is a
problem, unless ``empty_text="skip"`` (an optional open question in a survey export).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from outsidein.io.customer import (
    DEFAULT_FEEDBACK_SCALE,
    EmptyText,
    MappedTable,
    Scale,
    read_mapping,
)
from outsidein.io.imported import ImportedTable
from outsidein.io.survey_exports import DEFAULT_MAX_BYTES, SourceFormat

FEEDBACK_SCHEMA: dict[str, pl.DataType] = {
    "comment_id": pl.String(),
    "text": pl.String(),
    "rating": pl.Float64(),
    "date": pl.Datetime("us", "UTC"),
    "segment": pl.String(),
    "source_row": pl.Int64(),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackImport(ImportedTable):
    """A validated feedback file: the canonical frame and what the import did."""

    columns: dict[str, str]
    rating_scale: Scale | None

    def details(self) -> dict[str, object]:
        return {
            "columns": dict(self.columns),
            "rating_scale": None if self.rating_scale is None else list(self.rating_scale),
        }


def read_feedback(
    path: Path | str,
    *,
    text: str | None = None,
    rating: str | None = None,
    date: str | None = None,
    segment: str | None = None,
    id: str | None = None,
    format: SourceFormat | None = None,
    mapping: Path | str | Mapping[str, Any] | None = None,
    timezone: str | None = None,
    date_format: str | None = None,
    rating_scale: Scale | None = None,
    values: Mapping[str, float | None] | None = None,
    empty_text: EmptyText | None = None,
    keep_unfinished: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FeedbackImport:
    """Read and validate a feedback file; raise :class:`ImportRejected` listing every bad cell.

    ``rating_scale`` defaults to 1–5; ``empty_text="skip"`` drops comments with no text (an
    optional open question) instead of rejecting the file.

    Example::

        imported = read_feedback("export.csv", text="Q5", rating="Q2", segment="Q7",
                                 timezone="Europe/Helsinki")
        imported.frame.columns  # comment_id, text, rating, date, segment, source_row
    """
    spec = read_mapping(mapping, kind="feedback")
    asked = {"text": text, "rating": rating, "date": date, "segment": segment, "id": id}
    scale = rating_scale or spec.scales.get("rating_scale") or DEFAULT_FEEDBACK_SCALE
    setup = MappedTable.open(
        path,
        spec,
        asked,
        format=format,
        timezone=timezone,
        date_format=date_format,
        values=values,
        keep_unfinished=keep_unfinished,
        scales={"rating_scale": scale},
        max_bytes=max_bytes,
    )
    if "text" not in setup.positions and not setup.unmapped:
        setup.problems.add(
            "name the column that holds the comment text (--text COLUMN, text= from Python)",
            row=setup.table.header_row,
        )
        setup.unmapped += 1
    setup.stop_if_unmapped()
    skip_empty = (empty_text or spec.empty_text or "reject") == "skip"
    if skip_empty:
        setup.drop_empty("text", "empty_text")
    texts = setup.texts("text", required=True)
    ratings = setup.numbers("rating", scale, whole=False) if "rating" in setup.positions else None
    frame = pl.DataFrame(
        {
            "comment_id": setup.ids(),
            "text": texts,
            "rating": ratings if ratings is not None else [None] * len(texts),
            "date": setup.dates(),
            "segment": setup.texts("segment", required=False),
            "source_row": setup.source_rows(),
        },
        schema=FEEDBACK_SCHEMA,
    )
    setup.problems.raise_if_any()
    return FeedbackImport(
        frame=frame,
        source=setup.table.file,
        format=setup.table.format,
        sha256=setup.table.sha256,
        columns=setup.column_names(),
        timezone=setup.zone_name if "date" in setup.positions else None,
        rating_scale=scale if "rating" in setup.positions else None,
        skipped=setup.skipped,
        generated_ids="id" not in setup.positions,
        ambiguous_times=setup.ambiguous_times,
    )
