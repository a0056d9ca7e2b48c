"""Use case: analyse an event-log file's customer journeys, optionally against the staff's model.

``analyze_event_file`` reads the log (CSV, Parquet, XES), measures the journeys and, given a
journey-model YAML, the process gap (fitness, unknown activities, skipped steps, deviations,
errors of staff estimates) and the ecosystem map. ``write_summary`` writes ``summary.json``.

Nothing published rests on fewer journeys than the anonymity threshold (``min_cases``: 5 for
a file, the assessment's ``anonymity_threshold`` in a workspace); the core measures leave out
or withhold it (see :mod:`outsidein.core.journeys`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

import polars as pl

from outsidein.core.conformance import (
    Conformance,
    EcosystemMap,
    EstimateError,
    JourneyModel,
    ProcessEvidence,
    case_fitness,
    conformance,
    ecosystem_map,
    estimate_errors,
)
from outsidein.core.journeys import (
    MIN_CASES,
    GroupBy,
    JourneySummary,
    order_journeys,
    summarize_journeys,
)
from outsidein.core.resampling import Interval, bootstrap_mean
from outsidein.io.events import (
    SOURCE,
    EventImport,
    EventReadOptions,
    merge_event_logs,
    read_events,
)
from outsidein.io.journey_model import read_journey_model
from outsidein.io.problems import ImportRejected, Problem
from outsidein.services.datasets import stored_frames, write_parquet
from outsidein.services.workspace import Workspace, open_workspace

SUMMARY_FILE = "summary.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class JourneyAnalysis:
    """The journeys of one event log and, with a model, how far staff beliefs are from them."""

    imported: EventImport
    summary: JourneySummary
    grouped: JourneySummary | None
    model: JourneyModel | None
    conformance: Conformance | None
    estimate_errors: tuple[EstimateError, ...]
    ecosystem: EcosystemMap
    top: int = 10
    min_cases: int = MIN_CASES

    def to_dict(self) -> dict[str, object]:
        """The ``summary.json`` of ``outsidein journeys analyze`` (issue 4).

        ``top_variants`` and ``edges`` hold the variants and arcs of at least ``min_cases``
        journeys; ``rare_variants`` counts the rarer variants and their journeys, and
        ``hidden_edges`` the arcs left out.
        """
        summary = self.summary
        overall = summary.throughput[0] if summary.throughput else None
        result: dict[str, object] = {
            "cases": summary.cases,
            "events": summary.events,
            "activities": len(summary.activities) + summary.hidden_activities,
            "variants": summary.variants.total,
            "anonymity_threshold": self.min_cases,
            "top_variants": [
                {"steps": list(variant.steps), "count": variant.count}
                for variant in summary.variants.variants[: self.top]
            ],
            "rare_variants": {
                "variants": summary.variants.rare_variants,
                "cases": summary.variants.rare_cases,
            },
            "hidden_edges": summary.graph.hidden_edges,
            "edges": [
                {
                    "from": edge.source,
                    "to": edge.target,
                    "count": edge.count,
                    "median_seconds": edge.median_seconds,
                }
                for edge in summary.graph.edges
            ],
            "throughput_seconds": {
                "median": None if overall is None else overall.median_seconds,
                "p90": None if overall is None else overall.p90_seconds,
            },
        }
        if self.conformance is not None:
            result["fitness"] = self.conformance.fitness
            result["unknown_activities"] = [
                unknown.to_dict() for unknown in self.conformance.unknown_activities
            ]
            result["skipped_steps"] = [
                {"step": skipped.activity, "cases": skipped.cases, "share": skipped.share}
                for skipped in self.conformance.skipped_steps
            ]
            result["deviations"] = [
                deviation.to_dict() for deviation in self.conformance.deviations[: self.top]
            ]
        if self.grouped is not None:
            result["grouped"] = self.grouped.to_dict()
        return result

    def to_full_dict(self) -> dict[str, object]:
        """Everything measured, for the report and the API."""
        return {
            "import": self.imported.to_dict(),
            "journeys": self.summary.to_dict(),
            "grouped": None if self.grouped is None else self.grouped.to_dict(),
            "model": None if self.model is None else self.model.to_dict(),
            "conformance": None if self.conformance is None else self.conformance.to_dict(),
            "estimate_errors": [error.to_dict() for error in self.estimate_errors],
            "ecosystem": self.ecosystem.to_dict(),
        }


def analyze_event_file(
    path: str | os.PathLike[str],
    *,
    model_path: str | os.PathLike[str] | None = None,
    by: GroupBy | None = None,
    top: int = 10,
    min_cases: int = MIN_CASES,
    **options: Unpack[EventReadOptions],
) -> JourneyAnalysis:
    """Read an event log (and a journey model) and measure journeys, process gap and ecosystem.

    ``options`` are those of :func:`~outsidein.io.events.read_events` (column names, time zone,
    duplicates). Raises :class:`~outsidein.io.problems.ImportRejected` when the log or the
    model has problems.
    ``by`` adds the same measures per segment or entry channel (``grouped``). With a model,
    drop-off counts a journey as finished when it ends in a step the model can
    end with; without one, end steps are inferred from the log. ``min_cases`` is the anonymity
    threshold: no figure resting on fewer journeys (or group of fewer) is in the result.
    """
    model = read_journey_model(model_path) if model_path is not None else None
    imported = read_events(path, **options)
    journeys = order_journeys(imported.events, grouped_by_case=True)
    end_steps = None if model is None else model.end_steps()
    grouped = None
    if by is not None:
        in_groups = order_journeys(
            imported.events, by=by, min_group_cases=min_cases, grouped_by_case=True
        )
        grouped = summarize_journeys(in_groups, end_steps=end_steps, top=top, min_cases=min_cases)
    return JourneyAnalysis(
        imported=imported,
        summary=summarize_journeys(journeys, end_steps=end_steps, top=top, min_cases=min_cases),
        grouped=grouped,
        model=model,
        conformance=None if model is None else conformance(model, journeys, min_cases=min_cases),
        estimate_errors=()
        if model is None
        else estimate_errors(model, journeys, min_cases=min_cases),
        ecosystem=ecosystem_map(journeys, model, min_cases=min_cases),
        top=top,
        min_cases=min_cases,
    )


def write_summary(analysis: JourneyAnalysis, out_dir: str | os.PathLike[str]) -> Path:
    """Write ``summary.json`` into ``out_dir`` (created if missing); return its path."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SUMMARY_FILE
    target.write_text(
        json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target


# --------------------------------------------------------------------------- in a workspace

MODEL_FILE = "journey-model.yaml"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredDataset:
    """A file imported into a workspace's data folder and registered in its database."""

    kind: str
    source: str
    path: str
    rows: int
    detail: dict[str, object]

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "source": self.source,
            "path": self.path,
            "rows": self.rows,
            **self.detail,
        }


def store_parquet(
    workspace: Workspace,
    frame: pl.DataFrame,
    *,
    kind: str,
    source: Path,
    options: dict[str, object],
) -> StoredDataset:
    """Write ``frame`` as Parquet into the data folder and register it; all or nothing."""
    from outsidein.store import models, queries

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if (
        models.Dataset.objects.using(workspace.alias)
        .filter(organisation__slug=workspace.organisation, kind=kind, source_sha256=digest)
        .exists()
    ):
        raise ImportRejected(
            [Problem(file=source.name, reason="this file was already imported into the workspace")]
        )
    target = write_parquet(workspace, kind, frame, digest)
    relative = target.relative_to(workspace.path).as_posix()
    try:
        queries.register_dataset(
            workspace.alias,
            workspace.organisation,
            kind=kind,
            source_name=source.name,
            source_sha256=digest,
            path=relative,
            rows=frame.height,
            columns=frame.columns,
            options=options,
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return StoredDataset(kind=kind, source=source.name, path=relative, rows=frame.height, detail={})


def import_events(
    workspace: Workspace | Path | str,
    path: str | os.PathLike[str],
    **options: Unpack[EventReadOptions],
) -> StoredDataset:
    """Validate an event log and store it in the workspace as Parquet (all or nothing).

    Logs of separate imports are spliced by case in the journeys (a journey may span two
    monthly exports), so an event must not be stored twice: the log is read against the events
    already in the workspace (see :func:`~outsidein.io.events.read_events`). Events the
    workspace already holds (an export that overlaps an earlier one) are left out and counted
    in ``already_stored``, or reject the file with ``duplicates="reject"``; a log whose events
    are all stored already (the same export re-saved, in another encoding) is rejected.
    Imports that race each other are merged without repeats by :func:`workspace_events`.
    """
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    imported = read_events(path, stored=_stored_events(ws), **options)
    stored = store_parquet(
        ws, imported.events, kind="events", source=Path(path), options=imported.to_dict()
    )
    return StoredDataset(
        kind=stored.kind,
        source=stored.source,
        path=stored.path,
        rows=stored.rows,
        detail={
            "cases": imported.cases,
            "duplicates_dropped": imported.duplicates_dropped,
            "already_stored": imported.already_stored,
            "blank_rows": imported.blank_rows,
            "one_event_cases": imported.one_event_cases,
        },
    )


def set_journey_model(workspace: Workspace | Path | str, path: str | os.PathLike[str]) -> int:
    """Validate the staff's journey model and keep it in the workspace; returns its steps."""
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    model = read_journey_model(path)
    text = Path(path).read_text(encoding="utf-8")
    partial = ws.path / (MODEL_FILE + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(ws.path / MODEL_FILE)
    return len(tuple(model.steps()))


def workspace_journey_model(workspace: Workspace) -> JourneyModel | None:
    model_file = workspace.path / MODEL_FILE
    return read_journey_model(model_file) if model_file.is_file() else None


def workspace_events(workspace: Workspace) -> pl.DataFrame | None:
    """Every event log stored in the workspace, as one canonical frame (None if there is none).

    Logs are spliced by case and an event that two of them hold counts once
    (:func:`~outsidein.io.events.merge_event_logs`): :func:`import_events` does not store an
    event twice, but a workspace filled before it checked, or by two imports at the same
    time, may hold one twice.
    """
    stored = _stored_events(workspace)
    return None if stored is None else stored.drop(SOURCE)


def _stored_events(workspace: Workspace) -> pl.DataFrame | None:
    """The stored events, each once, with the name of the file each came from (``source``)."""
    from outsidein.store import models

    frames = stored_frames(workspace, "events")
    if not frames:
        return None
    names = models.Dataset.objects.using(workspace.alias).filter(
        organisation__slug=workspace.organisation, kind="events"
    )
    sources = pl.DataFrame(
        list(names.values_list("pk", "source_name")),
        schema={"dataset_id": pl.Int64, SOURCE: pl.String},
        orient="row",
    )
    logs = [
        frame.join(sources, on="dataset_id", how="left", maintain_order="left").drop("dataset_id")
        for frame in frames
    ]
    return merge_event_logs(logs)


def process_evidence(
    workspace: Workspace, *, seed: int = 0, min_cases: int | None = None
) -> ProcessEvidence | None:
    """Journeys, fitness (with a bootstrap CI over cases) and ecosystem of the stored log.

    ``min_cases`` is the anonymity threshold; by default the workspace assessment's
    ``anonymity_threshold``. The fitness and its interval average every journey (when there
    are at least ``min_cases``); the per-variant fitness they come from is not published.
    """
    events = workspace_events(workspace)
    if events is None or events.height == 0:
        return None
    k = anonymity_threshold(workspace) if min_cases is None else min_cases
    model = workspace_journey_model(workspace)
    journeys = order_journeys(events)
    end_steps = None if model is None else model.end_steps()
    every = None if model is None else conformance(model, journeys, min_cases=1)
    fit = None if every is None else every.without_rare(k)
    fitness: Interval | None = None
    if every is not None and every.fitness is not None and journeys.cases.height >= max(k, 2):
        per_case = case_fitness(every, journeys).get_column("fitness").to_numpy()
        fitness = bootstrap_mean(per_case, seed=seed, resamples=1000)
    return ProcessEvidence(
        summary=summarize_journeys(journeys, end_steps=end_steps, min_cases=k),
        model=model,
        conformance=fit,
        fitness=fitness,
        estimate_errors=() if model is None else estimate_errors(model, journeys, min_cases=k),
        ecosystem=ecosystem_map(journeys, model, min_cases=k),
    )


def anonymity_threshold(workspace: Workspace) -> int:
    """The workspace assessment's anonymity threshold (the default where it has none)."""
    from outsidein.store import models, queries

    try:
        assessment = queries.get_assessment(
            workspace.alias, organisation=workspace.organisation, assessment=workspace.assessment
        )
    except models.Assessment.DoesNotExist:
        return MIN_CASES
    return int(assessment.anonymity_threshold)
