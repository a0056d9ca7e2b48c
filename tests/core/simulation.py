"""Generate staff answers with planted scale means, for simulation tests of the verdict."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from outsidein.core.instrument import Instrument, Item, Role


def simulate(
    instrument: Instrument,
    *,
    seed: int,
    managers: int = 40,
    operational: int = 160,
    base: float = 6.0,
    means: Mapping[tuple[str, str | None, str], float] | None = None,
    departments: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """Answers on every item; ``means[(scale, side, role)]`` overrides ``base`` (after keys)."""
    rng = np.random.default_rng(seed)
    means = means or {}
    roles = [Role.MANAGER] * managers + [Role.OPERATIONAL] * operational
    n = len(roles)
    if departments:
        dept = [d for d, count in departments.items() for _ in range(count)]
        assert len(dept) == n
    else:
        dept = [f"D{i % 4}" for i in range(n)]
    person = rng.normal(0, 0.3, n)
    traits: dict[tuple[str, str], np.ndarray] = {}
    columns: dict[str, list[float | None]] = {}
    for item in instrument.items:
        scale = f"{item.question}-{item.aspect}"
        if (scale, str(item.side)) not in traits:
            traits[(scale, str(item.side))] = rng.normal(0, 0.35, n)
        centre = np.array([_mean(item, scale, role, base, means) for role in roles])
        latent = centre + person + traits[(scale, str(item.side))] + rng.normal(0, 0.6, n)
        if item.reverse:
            latent = item.scale_min + item.scale_max - latent
        values = np.clip(np.rint(latent), item.scale_min, item.scale_max)
        columns[item.id] = [
            float(v) if role in item.roles else None for v, role in zip(values, roles, strict=True)
        ]
    return pl.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(n)],
            "role": [str(r) for r in roles],
            "department": dept,
            **columns,
        },
        schema_overrides=dict.fromkeys(columns, pl.Float64),
    )


def _mean(
    item: Item,
    scale: str,
    role: Role,
    base: float,
    means: Mapping[tuple[str, str | None, str], float],
) -> float:
    return means.get((scale, item.side, str(role)), means.get((scale, None, str(role)), base))
