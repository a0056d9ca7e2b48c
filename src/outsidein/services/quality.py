"""Customer evidence about quality (question Q): the survey engine and the gaps to beliefs."""

from __future__ import annotations

import polars as pl

from outsidein.core.evidence import QualityEvidence
from outsidein.core.gaps import quality_gaps
from outsidein.core.instrument import Instrument
from outsidein.core.quality import customer_quality
from outsidein.core.readiness import ReadinessPolicy
from outsidein.services.workspace import Workspace


def _staff_beliefs(staff: pl.DataFrame, kind: str, attributes: list[str]) -> pl.DataFrame:
    """One column per attribute with the staff's belief of that kind (importance/performance)."""
    prefix = {"importance": "bi_imp__", "performance": "bi_perf__"}[kind]
    columns = [
        (pl.col(f"{prefix}{a}") if f"{prefix}{a}" in staff.columns else pl.lit(None))
        .cast(pl.Float64)
        .alias(a)
        for a in attributes
    ]
    return staff.select("respondent_id", "role", *columns)


def quality_evidence(
    workspace: Workspace,
    staff: pl.DataFrame,
    instrument: Instrument,
    *,
    policy: ReadinessPolicy,
    seed: int,
) -> QualityEvidence | None:
    """Key drivers, NPS and the understanding and delivery gaps from the stored customer survey.

    None when the workspace holds no customer survey.
    """
    from outsidein.services.customer import load_customer_survey

    customers = load_customer_survey(workspace)
    if customers.height == 0:
        return None
    believed = [
        item.attribute
        for item in instrument.items
        if item.attribute is not None and item.aspect == "importance"
    ]
    attributes = [
        a
        for a in believed
        if a in customers.columns and customers[a].null_count() < customers.height
    ]
    if len(attributes) < 2:
        return None
    importance = {
        a: f"importance__{a}"
        for a in attributes
        if f"importance__{a}" in customers.columns
        and customers[f"importance__{a}"].null_count() < customers.height
    }
    overall = "overall" if customers["overall"].null_count() < customers.height else None
    nps = "nps" if customers["nps"].null_count() < customers.height else None
    csat = "csat" if customers["csat"].null_count() < customers.height else None
    threshold = policy.anonymity_threshold
    survey = customer_quality(
        customers,
        attributes=attributes,
        importance_columns=importance or None,
        overall=overall,
        nps_column=nps,
        csat_column=csat,
        seed=seed,
        level=policy.level,
        min_group=threshold,
    )
    gaps = None
    if staff.height and (overall is not None or importance):
        gaps = quality_gaps(
            _staff_beliefs(staff, "importance", attributes),
            _staff_beliefs(staff, "performance", attributes),
            customers,
            attributes=attributes,
            importance_columns=importance or None,
            overall=overall,
            seed=seed + 1,
            level=policy.level,
            min_group=threshold,
        )
    return QualityEvidence(customers=survey, gaps=gaps)
