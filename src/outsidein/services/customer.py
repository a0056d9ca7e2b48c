"""Use cases of customer evidence: import feedback, customer surveys and the firm's labelled
sentences; load them for the engines.

An import validates the whole file (:mod:`outsidein.io.feedback`, :mod:`outsidein.io.customer`;
every bad cell named, :class:`~outsidein.io.problems.ImportRejected`), writes the canonical frame
as Parquet under ``<workspace>/data/<kind>/`` (a temporary file renamed into place, so a crash
never leaves half a file under the final name) and registers it in the database. If the
registration fails the Parquet file is removed again: nothing is half-stored. Importing the same
file (same SHA-256) with the same column mapping twice is rejected; the same file with another
mapping (a second open question of one survey export) is a new dataset.

``load_feedback`` and ``load_customer_survey`` read every dataset of their kind that the
workspace's organisation has, in import order, with a ``dataset_id`` column first: ids are
unique within a dataset, and ``(dataset_id, comment_id)`` across them. ``load_voice_labels``
reads every stored labelled sentence, in import order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl

from outsidein.io.customer import (
    IMPORTANCE_PREFIX,
    SURVEY_BASE_SCHEMA,
    SURVEY_SCORES,
    CustomerSurveyImport,
    EmptyText,
    Scale,
    read_customer_survey,
    read_mapping,
)
from outsidein.io.feedback import FEEDBACK_SCHEMA, read_feedback
from outsidein.io.imported import ImportedTable
from outsidein.io.problems import ImportRejected, Problem
from outsidein.io.survey_exports import SourceFormat
from outsidein.io.voice_files import (
    LabelledSentences,
    labelled_from_frames,
    read_labelled_import,
)
from outsidein.services.datasets import stored_frames, write_parquet
from outsidein.services.workspace import Workspace, open_workspace

DatasetKind = Literal["feedback", "customer_survey", "voice_labels"]
MappingSource = Path | str | Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class DatasetSummary:
    """One stored dataset of customer evidence: where it is and what the import did."""

    dataset_id: int
    kind: DatasetKind
    source: str
    sha256: str
    path: str
    rows: int
    columns: tuple[str, ...]
    format: str
    mapping: dict[str, str]
    attributes: tuple[str, ...] = ()
    timezone: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    generated_ids: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "dataset_id": self.dataset_id,
            "kind": self.kind,
            "source": self.source,
            "sha256": self.sha256,
            "path": self.path,
            "rows": self.rows,
            "columns": list(self.columns),
            "format": self.format,
            "mapping": dict(self.mapping),
            "attributes": list(self.attributes),
            "timezone": self.timezone,
            "skipped": dict(self.skipped),
            "generated_ids": self.generated_ids,
        }


def _workspace(workspace: Workspace | Path | str) -> Workspace:
    return workspace if isinstance(workspace, Workspace) else open_workspace(workspace)


def import_feedback(
    workspace: Workspace | Path | str,
    path: Path | str,
    *,
    text: str | None = None,
    rating: str | None = None,
    date: str | None = None,
    segment: str | None = None,
    id: str | None = None,
    format: SourceFormat | None = None,
    mapping: MappingSource | None = None,
    timezone: str | None = None,
    date_format: str | None = None,
    rating_scale: Scale | None = None,
    values: Mapping[str, float | None] | None = None,
    empty_text: EmptyText | None = None,
    keep_unfinished: bool | None = None,
) -> DatasetSummary:
    """Validate a feedback file and store all of it, or nothing.

    Column arguments name the file's columns (Qualtrics: the ids of row 1); ``mapping`` is a
    YAML file (or dict) with the same keys under ``columns``. ``timezone`` is the zone of dates
    without an offset: left out, the mapping file's, else the zone a Qualtrics export states,
    else UTC. ``rating_scale`` defaults to 1–5. See :func:`outsidein.io.feedback.read_feedback`.

    Example::

        summary = import_feedback("acme", "reviews.csv", text="review", rating="stars",
                                  date="posted", timezone="Europe/Helsinki")
    """
    ws = _workspace(workspace)
    imported = read_feedback(
        path,
        text=text,
        rating=rating,
        date=date,
        segment=segment,
        id=id,
        format=format,
        mapping=mapping,
        timezone=timezone,
        date_format=date_format,
        rating_scale=rating_scale,
        values=values,
        empty_text=empty_text,
        keep_unfinished=keep_unfinished,
    )
    return _store(ws, "feedback", imported, dict(imported.columns))


def import_customer_survey(
    workspace: Workspace | Path | str,
    path: Path | str,
    *,
    attributes: Mapping[str, str] | None = None,
    overall: str | None = None,
    nps: str | None = None,
    csat: str | None = None,
    importance: Mapping[str, str] | None = None,
    segment: str | None = None,
    date: str | None = None,
    id: str | None = None,
    format: SourceFormat | None = None,
    mapping: MappingSource | None = None,
    rating_scale: Scale | None = None,
    importance_scale: Scale | None = None,
    overall_scale: Scale | None = None,
    csat_scale: Scale | None = None,
    timezone: str | None = None,
    date_format: str | None = None,
    values: Mapping[str, float | None] | None = None,
    keep_unfinished: bool | None = None,
) -> DatasetSummary:
    """Validate a customer-survey file and store all of it, or nothing.

    ``attributes`` maps attribute id → the column of its rating; the ids must be the firm's
    quality attributes (``outsidein attributes``), or the default set if it has none.
    ``importance`` maps attribute id → the column of its stated importance. Scales default to
    1–7 for ratings (importance and overall follow ``rating_scale``), 0–10 for NPS, 1–5 for
    CSAT. See :func:`outsidein.io.customer.read_customer_survey`.

    Example::

        summary = import_customer_survey(
            "acme", "qualtrics.csv", attributes={"reliability": "Q3_1", "courtesy": "Q3_2"},
            overall="Q1", nps="Q6", rating_scale=(1, 7))
    """
    ws = _workspace(workspace)
    spec = read_mapping(mapping, kind="customer_survey")
    _check_known_attributes(ws, Path(path).name, spec.attributes | dict(attributes or {}))
    imported = read_customer_survey(
        path,
        attributes=attributes,
        importance=importance,
        overall=overall,
        nps=nps,
        csat=csat,
        segment=segment,
        date=date,
        id=id,
        format=format,
        mapping=mapping,
        timezone=timezone,
        date_format=date_format,
        rating_scale=rating_scale,
        importance_scale=importance_scale,
        overall_scale=overall_scale,
        csat_scale=csat_scale,
        values=values,
        keep_unfinished=keep_unfinished,
    )
    used = dict(imported.columns)
    used |= {f"attribute:{a}": c for a, c in imported.attributes.items()}
    used |= {f"importance:{a}": c for a, c in imported.importance.items()}
    return _store(ws, "customer_survey", imported, used)


def import_voice_labels(workspace: Workspace | Path | str, path: Path | str) -> DatasetSummary:
    """Store a file of the firm's labelled sentences (``text``, ``attributes``, optionally
    ``attribute_sentiment``; see :mod:`outsidein.io.voice_files`), all of it or nothing.

    The text engine of ``assess`` then learns from every stored file (few-shot or supervised
    tagging, and polarity for the firm's own attributes where the files carry it) instead of
    tagging zero-shot. Attribute ids must be the firm's (else the default set's).
    """
    ws = _workspace(workspace)
    imported = read_labelled_import(Path(path), _known_attributes(ws)[0])
    return _store(ws, "voice_labels", imported, {})


def load_voice_labels(workspace: Workspace | Path | str) -> LabelledSentences | None:
    """Every stored labelled sentence of the organisation, in import order; None if none."""
    return labelled_from_frames(stored_frames(_workspace(workspace), "voice_labels"))


def load_feedback(workspace: Workspace | Path | str) -> pl.DataFrame:
    """Every stored feedback dataset of the organisation, concatenated in import order.

    Columns: ``dataset_id`` then the canonical feedback columns (``comment_id``, ``text``,
    ``rating``, ``date``, ``segment``, ``source_row``). No dataset gives an empty frame.
    """
    ws = _workspace(workspace)
    schema = {"dataset_id": pl.Int64(), **FEEDBACK_SCHEMA}
    frames = stored_frames(ws, "feedback")
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, how="diagonal_relaxed").select(list(schema)).cast(pl.Schema(schema))


def load_customer_survey(workspace: Workspace | Path | str) -> pl.DataFrame:
    """Every stored customer-survey dataset of the organisation, concatenated in import order.

    Columns: ``dataset_id``, ``customer_id``, ``date``, ``segment``, one Float64 column per
    attribute any dataset rates (null where a dataset does not), ``importance__<attribute>``,
    ``overall``, ``nps``, ``csat``, ``source_row``. No dataset gives an empty frame.
    """
    ws = _workspace(workspace)
    base = {"dataset_id": pl.Int64(), **SURVEY_BASE_SCHEMA}
    frames = stored_frames(ws, "customer_survey")
    if not frames:
        return pl.DataFrame(
            schema={**base, **dict.fromkeys(SURVEY_SCORES, pl.Float64()), "source_row": pl.Int64()}
        )
    joined = pl.concat(frames, how="diagonal_relaxed")
    tail = (*SURVEY_SCORES, "source_row")
    rated = [c for c in joined.columns if c not in base and c not in tail]
    ratings = [c for c in rated if not c.startswith(IMPORTANCE_PREFIX)]
    stated = [c for c in rated if c.startswith(IMPORTANCE_PREFIX)]
    order = [*base, *ratings, *stated, *tail]
    floats = dict.fromkeys([*ratings, *stated, *SURVEY_SCORES], pl.Float64())
    return joined.select(order).cast(pl.Schema({**base, **floats, "source_row": pl.Int64()}))


# --- storing ----------------------------------------------------------------------------------


def _known_attributes(ws: Workspace) -> tuple[list[str], str]:
    """The ids of the firm's quality attributes (else the default set's), and whose they are."""
    from outsidein.instruments import default_attributes
    from outsidein.store import queries

    firm = queries.quality_attributes(ws.alias, ws.organisation)
    return [a.id for a in firm or default_attributes()], "the firm's" if firm else "the default"


def _check_known_attributes(ws: Workspace, source: str, attributes: Mapping[str, str]) -> None:
    """Attribute ids must be the firm's (else the default set's): beliefs are asked about those."""
    known, whose = _known_attributes(ws)
    problems = [
        Problem(
            file=source,
            column=column,
            reason=f"{attribute!r} is not one of {whose} quality attributes "
            f"({', '.join(known)}); see `outsidein attributes`",
        )
        for attribute, column in attributes.items()
        if attribute not in known
    ]
    if problems:
        raise ImportRejected(problems)


def _store(
    ws: Workspace,
    kind: DatasetKind,
    imported: ImportedTable,
    mapping: dict[str, str],
) -> DatasetSummary:
    from outsidein.store import models, queries

    already = models.Dataset.objects.using(ws.alias).filter(
        organisation__slug=ws.organisation, kind=kind, source_sha256=imported.sha256
    )
    for dataset in already.order_by("pk"):
        if (dataset.options or {}).get("mapping") == mapping:
            raise ImportRejected(
                [
                    Problem(
                        file=imported.source,
                        reason=f"this file was already imported with the same columns on "
                        f"{dataset.created_at:%Y-%m-%d} (dataset {dataset.pk}, "
                        f"{dataset.source_name})",
                    )
                ]
            )
    target = write_parquet(ws, kind, imported.frame, imported.sha256)
    relative = target.relative_to(ws.path).as_posix()
    options: dict[str, object] = {**imported.to_dict(), "mapping": mapping}
    try:
        dataset = queries.register_dataset(
            ws.alias,
            ws.organisation,
            kind=kind,
            source_name=imported.source,
            source_sha256=imported.sha256,
            path=relative,
            rows=imported.rows,
            columns=imported.frame.columns,
            options=options,
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return DatasetSummary(
        dataset_id=dataset.pk,
        kind=kind,
        source=imported.source,
        sha256=imported.sha256,
        path=relative,
        rows=imported.rows,
        columns=tuple(imported.frame.columns),
        format=imported.format,
        mapping=mapping,
        attributes=(
            tuple(imported.attributes) if isinstance(imported, CustomerSurveyImport) else ()
        ),
        timezone=imported.timezone,
        skipped=dict(imported.skipped),
        generated_ids=imported.generated_ids,
    )
