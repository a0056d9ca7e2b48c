"""Use cases of customer evidence: import feedback, customer surveys and the firm's labelled
sentences; load them for the engines.

An import validates the whole file (:mod:`outsidein.io.feedback`, :mod:`outsidein.io.customer`;
every bad cell named, :class:`~outsidein.io.problems.ImportRejected`), writes the canonical frame
as Parquet under ``<workspace>/data/<kind>/`` (a temporary file renamed into place, so a crash
never leaves half a file under the final name) and registers it in the database. If the
registration fails the Parquet file is removed again: nothing is half-stored.

Nobody is counted twice. An import is refused, whole, when

- the same file (same SHA-256) was imported with the same column mapping;
- its ids are already stored for the organisation: a customer id of a customer survey, or a
  comment id of feedback whose text comes from a column of the same name (the same answer to the
  same open question; another open question of one survey export is new feedback). Each such
  row is named with its id column, the first ten in full. Without an id column the rows are
  named by the file's SHA-256 and row, so the same file under another mapping is refused too;
- it holds the same answers as a stored dataset (a hash of the canonical rows, whatever the
  line endings, encoding, format or row order of the file; generated ids and row numbers left
  out), which catches a re-export of a file without ids;
- it is feedback without ids with the same comments as a stored dataset of as many rows (the
  same texts, and ratings and dates where both have them), mapped with fewer or other columns.

The checks and the registration run in one transaction holding the organisation's row lock, so
two concurrent imports of the same answers cannot both pass.

``load_feedback`` and ``load_customer_survey`` read every dataset of their kind that the
workspace's organisation has, in import order, with a ``dataset_id`` column first, and put every
dataset's ratings on one common scale, mapping each linearly from the scale it was declared on
(:func:`outsidein.core.quality.rescale`): survey ratings, stated importance and overall
satisfaction on 1–7 (the scale of the staff's beliefs they are held against), CSAT on 1–5,
feedback ratings on 1–5 (stars, the commonest rating of comments); NPS stays 0–10.
:func:`survey_scales` and :func:`feedback_scale` say which scales were put on them, for method
texts. A customer or comment is returned once (the first stored, should a workspace hold it
twice from before imports were checked for it). ``load_voice_labels`` reads every stored
labelled sentence, in import order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from outsidein.core.quality import CommonScale, rescale_columns
from outsidein.io.customer import (
    DEFAULT_CSAT_SCALE,
    DEFAULT_FEEDBACK_SCALE,
    DEFAULT_SURVEY_SCALE,
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
from outsidein.services.workspace import Workspace, WorkspaceError, open_workspace

if TYPE_CHECKING:
    from outsidein.store.models import Dataset

DatasetKind = Literal["feedback", "customer_survey", "voice_labels"]
MappingSource = Path | str | Mapping[str, Any]

SURVEY_RATING_SCALE: Scale = DEFAULT_SURVEY_SCALE
"""Loaded survey ratings, stated importance and overall satisfaction: 1–7, as staff beliefs."""
SURVEY_CSAT_SCALE: Scale = DEFAULT_CSAT_SCALE
"""Loaded CSAT answers: 1–5."""
FEEDBACK_RATING_SCALE: Scale = DEFAULT_FEEDBACK_SCALE
"""Loaded feedback ratings: 1–5, the stars most reviews and comment forms use."""

_ID_COLUMN: dict[str, str] = {"feedback": "comment_id", "customer_survey": "customer_id"}
_QUESTION = "__question"  # a feedback dataset's text column, while loading
_SHOWN_REPEATS = 10  # ids already stored that a refusal names in full; the rest are counted


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
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)

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
            "scales": {k: list(v) for k, v in self.scales.items()},
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyScales:
    """The scale each measure of :func:`load_customer_survey` is on, and the other scales
    stored surveys were answered on (mapped onto it linearly)."""

    ratings: CommonScale
    importance: CommonScale
    overall: CommonScale
    csat: CommonScale


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
    return _store(
        ws,
        "feedback",
        imported,
        dict(imported.columns),
        id_header=imported.columns.get("id"),
        question=imported.columns.get("text"),
    )


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
    return _store(ws, "customer_survey", imported, used, id_header=imported.columns.get("id"))


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
    ``rating``, ``date``, ``segment``, ``source_row``). Ratings are on 1–5
    (:data:`FEEDBACK_RATING_SCALE`), each dataset's mapped linearly from its declared scale. A
    comment (its id, and the column its text came from) is returned once. No dataset gives an
    empty frame.
    """
    ws = _workspace(workspace)
    schema = {"dataset_id": pl.Int64(), **FEEDBACK_SCHEMA}
    pooled = [
        rescale_columns(
            frame,
            {"rating": _declared(options, "rating_scale", DEFAULT_FEEDBACK_SCALE)},
            FEEDBACK_RATING_SCALE,
        ).with_columns(pl.lit(_question(options), pl.String).alias(_QUESTION))
        for frame, options in _stored_with_options(ws, "feedback")
    ]
    if not pooled:
        return pl.DataFrame(schema=schema)
    joined = pl.concat(pooled, how="diagonal_relaxed")
    once = joined.unique(["comment_id", _QUESTION], keep="first", maintain_order=True)
    return once.select(list(schema)).cast(pl.Schema(schema))


def load_customer_survey(workspace: Workspace | Path | str) -> pl.DataFrame:
    """Every stored customer-survey dataset of the organisation, concatenated in import order.

    Columns: ``dataset_id``, ``customer_id``, ``date``, ``segment``, one Float64 column per
    attribute any dataset rates (null where a dataset does not), ``importance__<attribute>``,
    ``overall``, ``nps``, ``csat``, ``source_row``. Ratings, importance and overall are on 1–7
    and CSAT on 1–5, each dataset's mapped linearly from its declared scales (NPS is 0–10
    everywhere); :func:`survey_scales` names the scales mapped. A customer id is returned once.
    No dataset gives an empty frame.
    """
    ws = _workspace(workspace)
    base = {"dataset_id": pl.Int64(), **SURVEY_BASE_SCHEMA}
    pooled = [
        _survey_on_common_scales(frame, options)
        for frame, options in _stored_with_options(ws, "customer_survey")
    ]
    if not pooled:
        return pl.DataFrame(
            schema={**base, **dict.fromkeys(SURVEY_SCORES, pl.Float64()), "source_row": pl.Int64()}
        )
    joined = pl.concat(pooled, how="diagonal_relaxed").unique(
        "customer_id", keep="first", maintain_order=True
    )
    ratings, stated = _rated_columns(joined.columns)
    order = [*base, *ratings, *stated, *SURVEY_SCORES, "source_row"]
    floats = dict.fromkeys([*ratings, *stated, *SURVEY_SCORES], pl.Float64())
    return joined.select(order).cast(pl.Schema({**base, **floats, "source_row": pl.Int64()}))


def survey_scales(workspace: Workspace | Path | str) -> SurveyScales:
    """Which scales the stored customer surveys were answered on, per measure, and the common
    scale :func:`load_customer_survey` puts each on."""
    declared = [
        dict(options.get("scales") or {})
        for options in _dataset_options(_workspace(workspace), "customer_survey").values()
    ]

    def common(key: str, onto: Scale) -> CommonScale:
        answered = (_as_scale(scales[key]) for scales in declared if key in scales)
        return CommonScale(scale=onto, rescaled_from=tuple(dict.fromkeys(answered)))

    return SurveyScales(
        ratings=common("rating_scale", SURVEY_RATING_SCALE),
        importance=common("importance_scale", SURVEY_RATING_SCALE),
        overall=common("overall_scale", SURVEY_RATING_SCALE),
        csat=common("csat_scale", SURVEY_CSAT_SCALE),
    )


def feedback_scale(workspace: Workspace | Path | str) -> CommonScale:
    """The scale :func:`load_feedback` puts ratings on, and the scales they were answered on."""
    options = _dataset_options(_workspace(workspace), "feedback").values()
    answered = (_as_scale(o["rating_scale"]) for o in options if o.get("rating_scale"))
    return CommonScale(scale=FEEDBACK_RATING_SCALE, rescaled_from=tuple(dict.fromkeys(answered)))


# --- loading ----------------------------------------------------------------------------------


def _dataset_options(ws: Workspace, kind: DatasetKind) -> dict[int, dict[str, Any]]:
    """Dataset id → what its import recorded (mapping, scales), for the organisation's ``kind``."""
    from outsidein.store import models

    rows = models.Dataset.objects.using(ws.alias).filter(
        organisation__slug=ws.organisation, kind=kind
    )
    return {pk: dict(options or {}) for pk, options in rows.values_list("pk", "options")}


def _stored_with_options(
    ws: Workspace, kind: DatasetKind
) -> list[tuple[pl.DataFrame, dict[str, Any]]]:
    """Each stored dataset's frame (with ``dataset_id``) and its options, in import order."""
    frames = [frame for frame in stored_frames(ws, kind) if frame.height]
    options = _dataset_options(ws, kind)  # read after the frames: it has every one of them
    out: list[tuple[pl.DataFrame, dict[str, Any]]] = []
    for frame in frames:
        found = options.get(int(frame.item(0, "dataset_id")))
        if found is not None:  # None: removed while being read
            out.append((frame, found))
    return out


def _as_scale(value: Sequence[float]) -> Scale:
    low, high = value
    return (float(low), float(high))


def _declared(options: Mapping[str, Any], key: str, default: Scale) -> Scale:
    """The scale a dataset's import declared under ``key`` (rating_scale, ...), else ``default``."""
    value = options.get(key)
    return default if not value else _as_scale(value)


def _question(options: Mapping[str, Any]) -> str | None:
    """The file column a feedback dataset's text came from: the open question it answers."""
    columns = options.get("columns") or {}
    text = columns.get("text") if isinstance(columns, Mapping) else None
    return None if text is None else str(text)


def _rated_columns(columns: Sequence[str]) -> tuple[list[str], list[str]]:
    """A survey frame's attribute rating columns and its stated-importance columns."""
    fixed = {"dataset_id", *SURVEY_BASE_SCHEMA, *SURVEY_SCORES, "source_row"}
    rated = [c for c in columns if c not in fixed]
    return (
        [c for c in rated if not c.startswith(IMPORTANCE_PREFIX)],
        [c for c in rated if c.startswith(IMPORTANCE_PREFIX)],
    )


def _survey_on_common_scales(frame: pl.DataFrame, options: Mapping[str, Any]) -> pl.DataFrame:
    """One stored survey with ratings, importance and overall on 1–7 and CSAT on 1–5."""
    declared = {k: _as_scale(v) for k, v in dict(options.get("scales") or {}).items()}
    rating = declared.get("rating_scale", DEFAULT_SURVEY_SCALE)
    ratings, stated = _rated_columns(frame.columns)
    on_seven = {c: rating for c in ratings}
    on_seven |= {c: declared.get("importance_scale", rating) for c in stated}
    if "overall" in frame.columns:
        on_seven["overall"] = declared.get("overall_scale", rating)
    frame = rescale_columns(frame, on_seven, SURVEY_RATING_SCALE)
    if "csat" not in frame.columns:
        return frame
    csat = declared.get("csat_scale", DEFAULT_CSAT_SCALE)
    return rescale_columns(frame, {"csat": csat}, SURVEY_CSAT_SCALE)


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
    *,
    id_header: str | None = None,
    question: str | None = None,
) -> DatasetSummary:
    """Refuse answers already stored (see the module), else write and register the dataset.

    ``id_header`` is the file's id column (None: ids were generated), ``question`` the column a
    feedback dataset's text comes from.
    """
    from django.db import transaction

    from outsidein.store import models, queries

    content = _content_sha256(kind, imported)
    target: Path | None = None
    try:
        with transaction.atomic(using=ws.alias):
            # one import at a time per organisation: each sees what the one before stored
            models.Organisation.objects.using(ws.alias).select_for_update().get(
                slug=ws.organisation
            )
            _refuse_same_file(ws, kind, imported, mapping)
            _refuse_stored_ids(ws, kind, imported, id_header=id_header, question=question)
            _refuse_same_content(ws, kind, imported, content)
            _refuse_same_answers_remapped(ws, kind, imported)
            target = write_parquet(ws, kind, imported.frame, imported.sha256)
            options: dict[str, object] = {
                **imported.to_dict(),
                "mapping": mapping,
                "content_sha256": content,
            }
            dataset = queries.register_dataset(
                ws.alias,
                ws.organisation,
                kind=kind,
                source_name=imported.source,
                source_sha256=imported.sha256,
                path=target.relative_to(ws.path).as_posix(),
                rows=imported.rows,
                columns=imported.frame.columns,
                options=options,
            )
    except BaseException:
        if target is not None:
            target.unlink(missing_ok=True)
        raise
    return DatasetSummary(
        dataset_id=dataset.pk,
        kind=kind,
        source=imported.source,
        sha256=imported.sha256,
        path=dataset.path,
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
        scales=_scales(imported),
    )


def _scales(imported: ImportedTable) -> dict[str, tuple[float, float]]:
    """The scales the import read its ratings on (feedback: its rating's, where mapped)."""
    if isinstance(imported, CustomerSurveyImport):
        return {k: (float(low), float(high)) for k, (low, high) in imported.scales.items()}
    scale = getattr(imported, "rating_scale", None)
    return {} if scale is None else {"rating_scale": (float(scale[0]), float(scale[1]))}


def _content_sha256(kind: DatasetKind, imported: ImportedTable) -> str:
    """SHA-256 of what the rows say, not of the file's bytes: the canonical rows as JSON, columns
    by name, rows sorted; row numbers and generated ids (which come from the bytes) left out.
    A copy with other line endings, encoding, container or row order hashes the same."""
    generated = {_ID_COLUMN[kind]} if imported.generated_ids and kind in _ID_COLUMN else set()
    frame = imported.frame
    kept = sorted(c for c in frame.columns if c != "source_row" and c not in generated)
    digest = hashlib.sha256(kind.encode())
    for line in sorted(frame.select(kept).write_ndjson().splitlines()):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _when(dataset: Dataset) -> str:
    return f"on {dataset.created_at:%Y-%m-%d} (dataset {dataset.pk}, {dataset.source_name})"


def _refuse_same_file(
    ws: Workspace, kind: DatasetKind, imported: ImportedTable, mapping: dict[str, str]
) -> None:
    from outsidein.store import models

    already = models.Dataset.objects.using(ws.alias).filter(
        organisation__slug=ws.organisation, kind=kind, source_sha256=imported.sha256
    )
    for dataset in already.order_by("pk"):
        if (dataset.options or {}).get("mapping") == mapping:
            reason = f"this file was already imported with the same columns {_when(dataset)}"
            raise ImportRejected([Problem(file=imported.source, reason=reason)])


def _refuse_same_content(
    ws: Workspace, kind: DatasetKind, imported: ImportedTable, content: str
) -> None:
    from outsidein.store import models

    same = (
        models.Dataset.objects.using(ws.alias)
        .filter(organisation__slug=ws.organisation, kind=kind, options__content_sha256=content)
        .order_by("pk")
        .first()
    )
    if same is not None:
        reason = (
            f"this file holds the same answers as the file imported {_when(same)}; "
            "a copy written differently (line endings, encoding, format, row order) is no new data"
        )
        raise ImportRejected([Problem(file=imported.source, reason=reason)])


_NOT_COMPARED = frozenset({"source_row", "segment", *_ID_COLUMN.values()})
"""Columns that say where or in which row a comment came, not which comment it is."""


def _refuse_same_answers_remapped(
    ws: Workspace, kind: DatasetKind, imported: ImportedTable
) -> None:
    """Refuse feedback without ids whose comments a stored dataset of as many rows already
    holds: the same texts, and the same ratings and dates where both have them, whatever else
    was mapped. This catches the same comments imported again with fewer or other columns
    mapped (without ``--date``, say) from a copy written differently, whose ids were generated
    from its bytes. A file with its own ids is left to the id check: its ids say which comments
    are new, short texts such as "ok" repeating or not. Only feedback: a comment's text says
    which comment it is, while two waves of a survey may well hold the same ratings."""
    from outsidein.store import models

    if kind != "feedback" or not imported.generated_ids:
        return
    compared = [c for c in imported.frame.columns if c not in _NOT_COMPARED]
    answers = _mapped(imported.frame, compared)
    candidates = models.Dataset.objects.using(ws.alias).filter(
        organisation__slug=ws.organisation, kind=kind, rows=imported.rows
    )
    for dataset in candidates.order_by("pk"):
        file = ws.path / dataset.path
        if not file.is_file():
            continue  # a missing data file is named by the id check
        schema = pl.read_parquet_schema(file)
        stored = pl.read_parquet(file, columns=[c for c in answers if c in schema])
        shared = _mapped(stored, stored.columns)
        if "text" not in shared:
            continue
        if _as_text_rows(imported.frame, shared).equals(_as_text_rows(stored, shared)):
            reason = (
                f"this file holds the same comments ({', '.join(shared)}) as the file imported "
                f"{_when(dataset)}: the same comments with fewer or other columns mapped are no "
                "new feedback (if they are new comments, map the file's id column with --id)"
            )
            raise ImportRejected([Problem(file=imported.source, reason=reason)])


def _mapped(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    """The ``columns`` that hold something: a column the mapping left out is all missing."""
    return [c for c in columns if frame.get_column(c).null_count() < frame.height]


def _as_text_rows(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """``columns`` of ``frame`` as text, rows sorted: comparable whatever the row order and
    whether a number was stored as an integer or a float."""
    cast = [
        (
            pl.col(c).cast(pl.Float64).cast(pl.String)
            if frame.schema[c].is_numeric()
            else pl.col(c).cast(pl.String)
        )
        for c in columns
    ]
    return frame.select(cast).sort(columns, nulls_last=True)


def _refuse_stored_ids(
    ws: Workspace,
    kind: DatasetKind,
    imported: ImportedTable,
    *,
    id_header: str | None,
    question: str | None,
) -> None:
    """Refuse the file if any of its ids is already stored (for feedback: with text from a
    column of the same name), naming the row and id column of each, the first ones in full."""
    from outsidein.store import models

    if kind not in _ID_COLUMN:
        return
    id_column = _ID_COLUMN[kind]
    datasets = {
        d.pk: d
        for d in models.Dataset.objects.using(ws.alias)
        .filter(organisation__slug=ws.organisation, kind=kind)
        .order_by("pk")
        if kind != "feedback" or _question(d.options or {}) == question
    }
    stored = [_stored_ids(ws, dataset, id_column) for dataset in datasets.values()]
    if not stored:
        return
    known = pl.concat(stored).unique(id_column, keep="first", maintain_order=True)
    repeated = (
        imported.frame.select(id_column, "source_row")
        .join(known, on=id_column, how="inner")
        .sort("source_row")
    )
    problems = [
        Problem(
            file=imported.source,
            row=row,
            column=id_header,
            reason=_repeat_reason(kind, value, datasets[pk], id_header, question),
        )
        for value, row, pk in repeated.iter_rows()
    ]
    if problems:
        raise ImportRejected(problems[:_SHOWN_REPEATS], total=len(problems))


def _stored_ids(ws: Workspace, dataset: Dataset, id_column: str) -> pl.DataFrame:
    """The ids of one stored dataset (as text), with the dataset's id as ``pk``."""
    file = ws.path / dataset.path
    if not file.is_file():
        raise WorkspaceError(
            f"dataset {dataset.pk} ({dataset.source_name}) is registered but its data file "
            f"{dataset.path} is missing from {ws.path}"
        )
    ids = pl.read_parquet(file, columns=[id_column])
    return ids.select(pl.col(id_column).cast(pl.String), pl.lit(dataset.pk, pl.Int64).alias("pk"))


def _repeat_reason(
    kind: DatasetKind, value: str, dataset: Dataset, id_header: str | None, question: str | None
) -> str:
    if id_header is None:
        return (
            f"this row is already stored (as {value!r}): the same file was imported "
            f"{_when(dataset)}"
        )
    if kind == "feedback":
        return (
            f"comment {value!r} is already stored with its text from column {question!r}, "
            f"imported {_when(dataset)}"
        )
    return f"customer {value!r} is already stored, imported {_when(dataset)}"
