"""Bulk customer evidence in a workspace: Parquet files in ``data/<kind>/``, one per import.

Each file is written under a fresh name (temporary file, then an atomic rename) and registered
as a :class:`~outsidein.store.models.Dataset`; the importers remove the file again when the
registration fails, so a file and its row exist together or not at all.
"""

from __future__ import annotations

import os
import secrets
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
