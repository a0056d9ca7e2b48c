"""A seeded generator of a realistic demo firm: Nordlicht Logistics.

Nordlicht is a Finnish-German freight and warehousing firm with about 320 staff in eight
departments. Its answers come from a latent-trait model (a general customer-orientation
trait, a trait per readiness scale, department effects and item noise, rounded to the 1-7
scale, with about 3 % of answers skipped). The findings below are planted on purpose, so that
the demo report shows what outsidein finds and the tests can check that it finds them:

1. **Q-U, managers: parity fails.** Managers rate their grasp of customer-perceived quality
   (customer side ≈ 5.3) well below their grasp of the firm's own technical quality definition
   (own side ≈ 6.3): parity ≈ 0.84 < 0.90.
2. **P-M, operational staff fail** (≈ 4.2) while managers pass (≈ 5.7): frontline staff do not
   see customers' processes in plans, KPIs and budgets; a large manager-operational gap.
3. **Q-O, operational staff fail** (≈ 4.5) while managers pass (≈ 5.8): managers believe daily
   work is judged by customer-perceived quality; the people doing the work disagree.
4. **Department split on Q-O:** Customer Service (≈ 5.6) against Warehouse Operations (≈ 4.0).
5. **Stage 2, blocked at 3:** product push is not dominant (stage 1 items ≈ 3), customers are
   segmented and researched (stage 2 items ≈ 5.6), but insights are not shared across
   departments (``st3_1`` ≈ 3.7) nor acted on; evidence indicators are not yet measured.
6. **Anonymity:** the Legal department has four staff, below the threshold of five: its
   results are suppressed everywhere.
7. **Belief items:** managers think price is customers' top priority; operational staff put
   reliability and problem resolution first. Later engines hold these beliefs against the
   customers' own evidence.

All other aspects pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from outsidein.core.instrument import Instrument, Item, Role

FIRM_NAME = "Nordlicht Logistics"

# department: (managers, operational staff, effect on every scale)
DEPARTMENTS: dict[str, tuple[int, int, float]] = {
    "Sales": (8, 34, 0.15),
    "Customer Service": (6, 52, 0.25),
    "Warehouse Operations": (9, 80, -0.25),
    "Transport Planning": (5, 38, -0.05),
    "Product Development": (5, 18, 0.0),
    "Marketing": (4, 14, 0.1),
    "Finance": (4, 12, -0.1),
    "Legal": (2, 2, 0.0),
}

# (scale, side) -> (manager mean, operational mean) on 1-7, after reverse keys
SCALE_MEANS: dict[tuple[str, str | None], tuple[float, float]] = {
    ("P-U", "customer"): (5.75, 5.65),
    ("P-U", "own"): (5.95, 5.85),
    ("P-M", None): (5.75, 4.2),
    ("P-O", None): (5.8, 5.65),
    ("Q-U", "customer"): (5.55, 5.75),
    ("Q-U", "own"): (6.6, 5.95),
    ("Q-M", None): (5.85, 5.6),
    ("Q-O", None): (5.85, 4.5),
}

# Q-O department shifts (finding 4), on top of the general department effect
Q_O_DEPARTMENT_SHIFT = {"Customer Service": 0.9, "Warehouse Operations": -0.4}

STAGE_MEANS: dict[str, tuple[float, float]] = {
    "st1_1": (2.9, 3.2),
    "st1_2": (3.0, 3.3),
    "st1_3": (2.8, 3.1),
    "st2_1": (5.8, 5.5),
    "st2_2": (5.7, 5.4),
    "st2_3": (5.9, 5.6),
    "st2_4": (5.2, 5.4),
    "st3_1": (4.3, 3.5),
    "st3_2": (4.6, 3.9),
    "st3_3": (5.2, 4.6),
    "st3_4": (4.2, 3.8),
    "st4_1": (3.9, 3.6),
    "st4_2": (3.6, 3.4),
    "st4_3": (3.3, 3.1),
    "st4_4": (3.5, 3.2),
}

# attribute -> (manager belief importance, operational belief importance)
BELIEF_IMPORTANCE: dict[str, tuple[float, float]] = {
    "price_value": (6.4, 5.2),
    "reliability": (5.6, 6.4),
    "problem_resolution": (4.8, 6.2),
    "responsiveness": (5.2, 5.9),
    "competence": (5.8, 5.3),
    "communication": (4.6, 5.6),
    "courtesy": (4.2, 5.0),
    "ease_of_access": (4.5, 4.8),
    "outcome_quality": (6.0, 5.8),
    "reputation": (5.0, 4.1),
}
BELIEF_PERFORMANCE: dict[str, tuple[float, float]] = {
    "price_value": (5.0, 4.6),
    "reliability": (6.1, 5.0),
    "problem_resolution": (5.6, 4.3),
    "responsiveness": (5.5, 4.8),
    "competence": (6.2, 5.7),
    "communication": (5.4, 4.5),
    "courtesy": (5.9, 5.6),
    "ease_of_access": (5.3, 4.9),
    "outcome_quality": (6.2, 5.6),
    "reputation": (5.8, 5.4),
}

MISSING_SHARE = 0.03

PLANTED_FINDINGS: tuple[str, ...] = (
    "Q-U managers: parity of customer-perceived vs own quality definition fails (about 0.84)",
    "P-M operational staff fail (about 4.2) while managers pass: a manager-operational split",
    "Q-O operational staff fail (about 4.5) while managers pass: a manager-operational split",
    "Q-O by department: Customer Service high, Warehouse Operations low",
    "Stage 2 reached; stage 3 blocked: insights not shared across departments nor acted on",
    "Legal has four staff: suppressed under the anonymity threshold of five",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoFirm:
    name: str
    responses: pl.DataFrame
    findings: tuple[str, ...]


def _scale_key(item: Item) -> tuple[str, str | None] | None:
    if item.question in ("P", "Q"):
        return f"{item.question}-{item.aspect}", item.side
    return None


def _target_mean(item: Item, role: Role) -> float:
    column = 0 if role is Role.MANAGER else 1
    key = _scale_key(item)
    if key is not None:
        return SCALE_MEANS[key][column]
    if item.question == "stage":
        return STAGE_MEANS.get(item.id, (4.0, 4.0))[column]
    if item.attribute is not None:
        table = BELIEF_IMPORTANCE if item.aspect == "importance" else BELIEF_PERFORMANCE
        return table.get(item.attribute, (5.0, 5.0))[column]
    return (item.scale_min + item.scale_max) / 2


def generate_demo_firm(instrument: Instrument, *, seed: int = 7) -> DemoFirm:
    """Generate Nordlicht's staff answers for ``instrument`` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    roles: list[Role] = []
    departments: list[str] = []
    effects: list[float] = []
    for department, (managers, operational, effect) in DEPARTMENTS.items():
        for role, count in ((Role.MANAGER, managers), (Role.OPERATIONAL, operational)):
            roles.extend([role] * count)
            departments.extend([department] * count)
            effects.extend([effect] * count)
    n = len(roles)
    order = rng.permutation(n)
    roles = [roles[i] for i in order]
    departments = [departments[i] for i in order]
    department_effect = np.asarray(effects)[order]
    general = rng.normal(0.0, 0.35, size=n)
    scale_traits: dict[object, np.ndarray] = {}
    columns: dict[str, list[float | None]] = {}
    role_is_manager = np.array([r is Role.MANAGER for r in roles])
    q_o_shift = np.array([Q_O_DEPARTMENT_SHIFT.get(d, 0.0) for d in departments])
    for item in instrument.items:
        key = _scale_key(item) or (item.question, item.aspect)
        if key not in scale_traits:
            scale_traits[key] = rng.normal(0.0, 0.45, size=n)
        means = np.where(
            role_is_manager, _target_mean(item, Role.MANAGER), _target_mean(item, Role.OPERATIONAL)
        )
        latent = (
            means + department_effect + general + scale_traits[key] + rng.normal(0.0, 0.55, size=n)
        )
        if key == ("Q-O", None):
            latent = latent + q_o_shift
        if item.reverse:
            latent = item.scale_min + item.scale_max - latent
        values = np.clip(np.rint(latent), item.scale_min, item.scale_max)
        asked = np.array([r in item.roles for r in roles])
        skipped = rng.random(n) < MISSING_SHARE
        columns[item.id] = [
            float(v) if ok and not skip else None
            for v, ok, skip in zip(values, asked, skipped, strict=True)
        ]
    frame = pl.DataFrame(
        {
            "respondent_id": [f"NL-{i + 1:04d}" for i in range(n)],
            "role": [str(r) for r in roles],
            "department": departments,
            **columns,
        },
        schema_overrides=dict.fromkeys(columns, pl.Float64),
    )
    return DemoFirm(name=FIRM_NAME, responses=frame, findings=PLANTED_FINDINGS)
