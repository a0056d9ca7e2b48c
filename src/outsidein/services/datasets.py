"""Bulk customer evidence in a workspace: Parquet files in ``data/<kind>/``, one per import.

Each file is written under a fresh name (temporary file, then an atomic rename) and registered
as a :class:`~outsidein.store.models.Dataset`; the importers remove the file again when the
registration fails, so a file and its row exist together or not at all.

:func:`list_datasets` and :func:`remove_dataset` (``outsidein data list|remove``) undo an
import made with the wrong options (a time zone, a rating scale, a column): the importers
refuse a file whose answers are already stored, so the wrong one must go first.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from outsidein.services.workspace import Workspace, WorkspaceError


def write_parquet(ws: Workspace, kind: str, frame: pl.DataFrame, sha256: str) -> Path:
    """Write ``frame`` under a fresh name: to a temporary file first, then renamed into place."""
    folder = ws.data_dir / kind
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{stamp}-{sha256[:12]}-{secrets.token_hex(4)}.parquet"
    temporary = folder / f".{target.name}.tmp"
    try:
        frame.write_parquet(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def stored_frames(ws: Workspace, kind: str) -> list[pl.DataFrame]:
    from outsidein.store import models

    datasets = models.Dataset.objects.using(ws.alias).filter(
        organisation__slug=ws.organisation, kind=kind
    )
    frames: list[pl.DataFrame] = []
    for dataset in datasets.order_by("pk"):
        file = ws.path / dataset.path
        if not file.is_file():
            raise WorkspaceError(
                f"dataset {dataset.pk} ({dataset.source_name}) is registered but its data file "
                f"{dataset.path} is missing from {ws.path}"
            )
        frame = pl.read_parquet(file)
        frames.append(frame.select(pl.lit(dataset.pk, pl.Int64).alias("dataset_id"), pl.all()))
    return frames


@dataclass(frozen=True, slots=True, kw_only=True)
class DatasetInfo:
    """One import of customer evidence, as ``outsidein data list`` shows it."""

    id: int
    kind: str
    source_name: str
    rows: int
    imported_at: datetime
    options: dict[str, object]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "source_name": self.source_name,
            "rows": self.rows,
            "imported_at": self.imported_at.isoformat(timespec="seconds"),
            "options": self.options,
        }


def _info(dataset: object) -> DatasetInfo:
    from outsidein.store import models

    assert isinstance(dataset, models.Dataset)
    return DatasetInfo(
        id=int(dataset.pk),
        kind=str(dataset.kind),
        source_name=dataset.source_name,
        rows=int(dataset.rows),
        imported_at=dataset.created_at,
        options=dict(dataset.options or {}),
    )


def list_datasets(ws: Workspace) -> tuple[DatasetInfo, ...]:
    """The organisation's imports of customer evidence, oldest first."""
    from outsidein.store import models

    rows = models.Dataset.objects.using(ws.alias).filter(organisation__slug=ws.organisation)
    return tuple(_info(d) for d in rows.order_by("pk"))


def remove_dataset(ws: Workspace, dataset_id: int) -> DatasetInfo:
    """Remove one import: its registration first (in a transaction), then its file.

    A crash between the two leaves an unregistered file, which nothing reads; the reverse
    order could leave a registration without its data, which every assessment would refuse.
    """
    from django.db import transaction

    from outsidein.store import models

    with transaction.atomic(using=ws.alias):
        found = (
            models.Dataset.objects.using(ws.alias)
            .select_for_update()
            .filter(organisation__slug=ws.organisation, pk=dataset_id)
            .first()
        )
        if found is None:
            raise WorkspaceError(
                f"no dataset {dataset_id} in this workspace: `outsidein data list` shows them"
            )
        info = _info(found)
        path = found.path
        found.delete()
    if path:
        (ws.path / path).unlink(missing_ok=True)
    return info
